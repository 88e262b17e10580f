"""Rate limits and the arithmetic captcha of the public forms (anti-automation, issue 19).

One fixed-window counter per scope (``error_report``, ``register``, ``foi_apply``,
``foi_status``, ``login`` …) and per key: the client address (``REMOTE_ADDR``, which
``ProxiedClientAddressMiddleware`` sets from a trusted proxy only), the browser session, the
account, and one global counter. The counters live in the Django cache: Redis in production,
so every gunicorn worker and every server counts together; ``cache.add`` + ``cache.incr`` are
atomic there, so a burst of parallel requests cannot slip past the limit between a read and a
write.

Limits come from ``settings.GONGKAI_RATE_LIMITS``::

    {"foi_apply": {"ip": (20, 3600), "session": (10, 3600), "captcha_after": 3}, ...}

Over any limit the request is refused with HTTP 429 (a Chinese page, or ``{"detail": …}`` for
the API). Once a client has used ``captcha_after`` requests of a window, the form also asks an
arithmetic question (in Chinese words, no image, no JavaScript, no third party): screen readers
read it like any other label. The answer is never sent to the browser: the form carries a
signed token holding a nonce and an HMAC of the nonce and the answer, and a token is accepted
once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KEY_KINDS = ("ip", "session", "user", "global")
CAPTCHA_MAX_AGE = 1800  # seconds a question stays answerable
CAPTCHA_SALT = "gongkai.core.ratelimit.captcha"
DIGITS = "零一二三四五六七八九"


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind nginx the middleware has already put the client's there."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def axes_client_ip(request: HttpRequest) -> str:
    """The address django-axes counts failures by (``AXES_CLIENT_IP_CALLABLE``): ours.

    axes would otherwise read X-Forwarded-For itself, which any client can forge to dodge the
    lock or to lock someone else out.
    """
    return client_ip(request)


def _limits(scope: str) -> dict[str, Any]:
    return dict(getattr(settings, "GONGKAI_RATE_LIMITS", {}).get(scope, {}))


def _identities(request: HttpRequest) -> dict[str, str]:
    ids = {"ip": client_ip(request), "global": "all"}
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        ids["session"] = session.session_key
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        ids["user"] = str(user.pk)
    return ids


def _key(scope: str, kind: str, ident: str, window: int) -> str:
    return f"rl:{scope}:{kind}:{window}:{ident}"


@dataclass
class Usage:
    """How much of each limit one request has used (counts before this request)."""

    scope: str
    counts: dict[str, int] = field(default_factory=dict)
    limits: dict[str, tuple[int, int]] = field(default_factory=dict)
    captcha_after: int | None = None

    @property
    def blocked(self) -> bool:
        return any(self.counts.get(kind, 0) >= limit for kind, (limit, _w) in self.limits.items())

    @property
    def needs_captcha(self) -> bool:
        if self.captcha_after is None:
            return False
        return any(
            self.counts.get(kind, 0) >= self.captcha_after
            for kind in self.limits
            if kind != "global"
        ) or (
            # Many failures across the whole site: everyone answers a question, nobody is
            # locked out (a global block would let one attacker shut the form for all).
            "global" in self.limits and self.counts.get("global", 0) >= self.limits["global"][0]
        )


def usage(request: HttpRequest, scope: str) -> Usage:
    """The current counts of the scope for this caller, without counting this request."""
    config = _limits(scope)
    ids = _identities(request)
    found = Usage(scope=scope, captcha_after=config.get("captcha_after"))
    for kind in KEY_KINDS:
        if kind in config and kind in ids:
            limit, window = config[kind]
            found.limits[kind] = (int(limit), int(window))
            found.counts[kind] = int(cache.get(_key(scope, kind, ids[kind], window), 0))
    return found


def count(request: HttpRequest, scope: str) -> dict[str, int]:
    """Count one request (or one failure) against every limit of the scope; the new counts."""
    config = _limits(scope)
    ids = _identities(request)
    counts: dict[str, int] = {}
    for kind in KEY_KINDS:
        if kind in config and kind in ids:
            _limit, window = config[kind]
            key = _key(scope, kind, ids[kind], window)
            # add() creates the window's counter only if absent; incr() is atomic in Redis, so
            # parallel requests each get their own number and exactly `limit` of them pass.
            cache.add(key, 0, timeout=window)
            try:
                counts[kind] = int(cache.incr(key))
            except ValueError:  # expired between add and incr: start a new window
                cache.add(key, 1, timeout=window)
                counts[kind] = 1
    return counts


def is_blocked(request: HttpRequest, scope: str) -> bool:
    """Whether the caller is over a hard limit (global limits only ask for the captcha)."""
    found = usage(request, scope)
    return any(
        found.counts.get(kind, 0) >= limit
        for kind, (limit, _w) in found.limits.items()
        if kind != "global"
    )


def too_many(request: HttpRequest, *, api: bool = False) -> HttpResponse:
    message = _("操作过于频繁，请稍后再试。")
    if api or request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "600"
    return response


ViewFunc = Callable[..., HttpResponseBase]


def limit_post(scope: str) -> Callable[[ViewFunc], ViewFunc]:
    """Refuse (429) a POST over the scope's limits and count every POST that gets through."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                limits = _limits(scope)
                counts = count(request, scope)
                if any(n > limits[kind][0] for kind, n in counts.items() if kind != "global"):
                    return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# ------------------------------------------------------------------------------- captcha


def chinese_number(n: int) -> str:
    """0–99 in Chinese words (十二, 二十, 九十九), as a person would say them."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def _digest(nonce: str, answer: str) -> str:
    return salted_hmac(CAPTCHA_SALT, f"{nonce}:{answer.strip()}", algorithm="sha256").hexdigest()


def new_question() -> tuple[str, str]:
    """A question in words and its signed token (the answer itself is not in the token)."""
    a, b = secrets.randbelow(20) + 1, secrets.randbelow(20) + 1
    if secrets.randbelow(2) and a > b:
        question = _("%(a)s减%(b)s等于多少？") % {"a": chinese_number(a), "b": chinese_number(b)}
        answer = a - b
    else:
        question = _("%(a)s加%(b)s等于多少？") % {"a": chinese_number(a), "b": chinese_number(b)}
        answer = a + b
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, str(answer))}, salt=CAPTCHA_SALT)
    return question, token


def check_answer(token: str, answer: str) -> bool:
    """Whether the answer fits the token; each token is accepted once, within its lifetime."""
    try:
        data = signing.loads(token, salt=CAPTCHA_SALT, max_age=CAPTCHA_MAX_AGE)
    except signing.BadSignature:
        return False
    nonce, digest = str(data.get("n", "")), str(data.get("d", ""))
    if not nonce or not constant_time_compare(digest, _digest(nonce, answer)):
        return False
    return cache.add(f"rl:captcha-used:{nonce}", 1, timeout=CAPTCHA_MAX_AGE)


class CaptchaForm(forms.Form):
    """The question block a protected form shows once the caller passed the threshold."""

    captcha_token = forms.CharField(widget=forms.HiddenInput)
    captcha_answer = forms.CharField(
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("请回答验证问题（填写阿拉伯数字）。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.question, token = new_question()
        # Every rendering asks a fresh question, also after a wrong answer.
        self.fields["captcha_answer"].label = _("验证问题：%(question)s") % {
            "question": self.question
        }
        self.fields["captcha_answer"].help_text = _("请用阿拉伯数字填写答案，例如12。")
        self.fields["captcha_token"].initial = token

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        token, answer = data.get("captcha_token"), data.get("captcha_answer")
        if token and answer and not check_answer(token, answer):
            self.add_error("captcha_answer", _("验证问题回答错误或已过期，请回答新的问题。"))
        return data

    def fresh(self) -> CaptchaForm:
        """An unbound copy with a new question, keeping this form's errors for display."""
        form = CaptchaForm()
        form._errors = self.errors  # type: ignore[attr-defined]  # copy the bound form's errors onto the fresh form
        return form


class Guard:
    """What a protected view needs: is the caller blocked, and must they answer a question.

    ``Guard(request, scope)`` counts a POST (unless ``count_posts=False``: scopes that count
    only failures, through ``count_failure``) and reads the counters; ``blocked`` says the
    caller is over a limit, ``passes()`` checks the question when one was due, and
    ``captcha`` is the block to render (or None).
    """

    def __init__(self, request: HttpRequest, scope: str, *, count_posts: bool = True) -> None:
        self.request = request
        self.scope = scope
        self.usage = usage(request, scope)
        self.count_posts = count_posts and request.method == "POST"
        if self.count_posts:
            # Count first and judge by the number this request got (not by a read before it):
            # a burst in parallel cannot all see the same "below the limit".
            for kind, new in count(request, scope).items():
                self.usage.counts[kind] = new - 1
        self.captcha: CaptchaForm | None = None
        if self.usage.needs_captcha:
            self.captcha = CaptchaForm(request.POST if request.method == "POST" else None)

    @property
    def blocked(self) -> bool:
        return any(
            self.usage.counts.get(kind, 0) >= limit
            for kind, (limit, _w) in self.usage.limits.items()
            if kind != "global"
        )

    def passes(self) -> bool:
        """False when a due question was not answered right (the POST is already counted)."""
        if self.captcha is None:
            return True
        if self.captcha.is_valid():
            # Still over the threshold: should the form come back with errors, it asks anew.
            self.captcha = CaptchaForm()
            return True
        self.captcha = self.captcha.fresh()
        return False

    def count_failure(self) -> None:
        count(self.request, self.scope)


# ------------------------------------------------------------------ public reads (issue 17)

# Path prefixes of the limited public reads and their scope in GONGKAI_RATE_LIMITS.
PUBLIC_READ_SCOPES = (("/search/", "search"), ("/api/", "api"))


def public_read_scope(request: HttpRequest) -> str | None:
    path = request.path
    for prefix, scope in PUBLIC_READ_SCOPES:
        if path.startswith(prefix):
            # Search pages count as "search", the API (search included) as "api".
            return scope
    return None


class PublicReadLimitMiddleware:
    """Per-address limits on search and the API (issue 17 item 5): over ``GONGKAI_RATE_LIMITS``
    ``search``/``api`` the answer is 429 in Chinese (a page, or JSON for the API). It sits after
    ``PageCacheMiddleware``: an answer from the page cache is neither counted nor refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        scope = public_read_scope(request)
        limits = _limits(scope) if scope else {}
        if scope and "ip" in limits:
            limit, window = limits["ip"]
            key = _key(scope, "ip", client_ip(request), int(window))
            cache.add(key, 0, timeout=int(window))
            try:
                used = int(cache.incr(key))
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=int(window))
                used = 1
            if used > int(limit):
                return _read_refused(request, scope, int(window))
        return self.get_response(request)


def _read_refused(request: HttpRequest, scope: str, window: int) -> HttpResponse:
    message = _("查询过于频繁，请%(seconds)s秒后再试。") % {"seconds": window}
    if scope == "api":
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        explanation = _(
            "为保障网站对所有访问者可用，同一网络地址在短时间内的搜索次数有限制。"
            "已打开过的页面仍可正常浏览；如需帮助，请联系本网站的政务公开工作机构。"
        )
        response = render(
            request, "429.html", {"message": message, "explanation": explanation}, status=429
        )
    response["Retry-After"] = str(window)
    return response
