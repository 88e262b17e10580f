"""Encryption of personal data at rest (SM4-CBC from gmssl); masked display is ``core.text``.

密评 (GB/T 39786) expects national algorithms, so applicants' identity numbers, phones and
addresses are encrypted with SM4. The key is 16 bytes given as 32 hex characters in
``settings.GONGKAI_PII_KEY`` (from the environment). Each value gets a random IV, so equal
plaintexts give different ciphertexts; ``blind_index`` gives a keyed digest for equality look-ups
(e.g. "same applicant this month" for the 按件 fee) without decrypting.
"""

import base64
import hashlib
import hmac
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from gmssl.sm4 import SM4_DECRYPT, SM4_ENCRYPT, CryptSM4

PREFIX = "sm4:"


def _key() -> bytes:
    raw = getattr(settings, "GONGKAI_PII_KEY", "") or ""
    if raw:
        try:
            key = bytes.fromhex(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "GONGKAI_PII_KEY 必须是 32 位十六进制字符（16 字节）"
            ) from exc
        if len(key) != 16:
            raise ImproperlyConfigured("GONGKAI_PII_KEY 必须是 32 位十六进制字符（16 字节）")
        return key
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("未配置 GONGKAI_PII_KEY，无法加密个人信息")
    # Development fallback only: production must set GONGKAI_PII_KEY (a changed SECRET_KEY
    # would otherwise make stored personal data unreadable).
    return hashlib.sha256(("gongkai-pii:" + settings.SECRET_KEY).encode()).digest()[:16]


def encrypt(plaintext: str) -> str:
    """Encrypt a string; the empty string stays empty (nothing to protect)."""
    if not plaintext:
        return ""
    iv = os.urandom(16)
    cipher = CryptSM4()
    cipher.set_key(_key(), SM4_ENCRYPT)
    data = cipher.crypt_cbc(iv, plaintext.encode("utf-8"))
    return PREFIX + base64.b64encode(iv + data).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("不是有效的加密数据")
    blob = base64.b64decode(token[len(PREFIX) :])
    iv, data = blob[:16], blob[16:]
    cipher = CryptSM4()
    cipher.set_key(_key(), SM4_DECRYPT)
    return cipher.crypt_cbc(iv, data).decode("utf-8")


def blind_index(value: str) -> str:
    """Keyed digest of a normalised value, for equality search over encrypted columns."""
    if not value:
        return ""
    normalised = "".join(value.split()).upper()
    return hmac.new(_key(), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def key_fingerprint() -> str:
    """Identifies the key without revealing it (a keyed digest of a fixed label): a backup
    records it, so a restore under another key — which could not decrypt the data — is
    refused."""
    return hmac.new(_key(), b"gongkai backup key check", hashlib.sha256).hexdigest()[:32]
