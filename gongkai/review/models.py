"""Tables of the review context: the review chain, its requests, decisions and content versions.

The 错敏词 dictionary lives in ``gongkai.checks``; error reports, self-inspection runs and the
第十八/二十条 disclosure review in ``gongkai.oversight``.
"""

from .chain_models import *  # noqa: F403  (review chain, requests, decisions, versions)
