"""Which secret keys production refuses (pure: imported by the settings themselves).

A key printed in this repository or its documentation is public: data encrypted with it is
readable by anyone, and sessions signed with it can be forged. So are keys a person typed
rather than generated (``abab…``). Production settings refuse both at start-up, and
``gongkai check --deploy`` reports them for any settings module.
"""

from __future__ import annotations

# Every key that appears in the repository (development and test settings, examples).
PUBLISHED_PII_KEYS = frozenset(
    {
        "0123456789abcdef0123456789abcdef",  # settings.dev
        "fedcba9876543210fedcba9876543210",  # settings.test
        "00000000000000000000000000000000",
    }
)
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "dev-only-insecure-key-change-me",
        "test-only-key",
        "CHANGE-ME-generate-a-long-random-string",  # deploy/gongkai.env.example
    }
)
# A generated 32-hex-character key has about 14 distinct characters; fewer than 8 means typed.
MIN_DISTINCT_HEX = 8


def pii_key_problem(key: str) -> str:
    """Why ``key`` must not encrypt personal data in production ("" if it may)."""
    if len(key) != 32:
        return "GONGKAI_PII_KEY 必须是 32 位十六进制字符（16 字节 SM4 密钥）"
    try:
        bytes.fromhex(key)
    except ValueError:
        return "GONGKAI_PII_KEY 只能包含十六进制字符 0-9、a-f"
    if key.lower() in PUBLISHED_PII_KEYS:
        return "GONGKAI_PII_KEY 使用了公开的开发或测试密钥，请用 openssl rand -hex 16 生成新密钥"
    if len(set(key.lower())) < MIN_DISTINCT_HEX:
        return "GONGKAI_PII_KEY 过于简单（不是随机生成的），请用 openssl rand -hex 16 生成新密钥"
    return ""


def secret_key_problem(key: str) -> str:
    """Why ``key`` must not sign sessions in production ("" if it may; Django's own deploy
    check adds the length and variety rules)."""
    if not key:
        return "生产环境必须设置 GONGKAI_SECRET_KEY"
    if key in PUBLISHED_SECRET_KEYS:
        return "GONGKAI_SECRET_KEY 使用了公开的开发或测试密钥，请生成新密钥"
    return ""
