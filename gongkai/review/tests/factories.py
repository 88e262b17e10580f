"""factory_boy factories for the review chain: per-organisation chain settings."""

from factory.django import DjangoModelFactory

from gongkai.review.chain_models import ReviewChain


class ReviewChainFactory(DjangoModelFactory):
    """``organisation=None`` is the site-wide default chain of a content kind."""

    class Meta:
        model = ReviewChain

    organisation = None
    content_kind = "item"
