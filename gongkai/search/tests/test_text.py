"""The batched bigram cutter used by rebuilds must give exactly the tokens of the plain one
that queries use: any difference would make documents unfindable."""

import random

from gongkai.search import text

from . import corpus


def test_bigram_tokens_of_known_strings():
    assert text.bigram_tokens("政务公开") == "政务 务公 公开"
    assert text.bigram_tokens("杭政办(2020)6号") == "杭政 政办 2020 6 号"
    assert text.bigram_tokens("a，政 ab12") == "a 政 ab12"
    assert text.bigram_tokens_many(["政务公开", "", "杭政办(2020)6号", "，"]) == [
        "政务 务公 公开",
        "",
        "杭政 政办 2020 6 号",
        "",
    ]
    assert text.bigram_tokens_many([]) == []


def test_batched_bigrams_equal_the_plain_ones_on_random_text():
    rng = random.Random(20261123)
    # CJK (incl. Ext A and a compatibility ideograph), Latin, digits, punctuation, an astral
    # character, NUL (the batch separator) and upper case (not a token character).
    alphabet = "政务公开㐀丽aZ09 ，。\n（）〔𠀀\0"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    assert text.bigram_tokens_many(texts) == [text.bigram_tokens(t) for t in texts]


def test_batched_bigrams_equal_the_plain_ones_on_realistic_documents():
    texts = [
        text.normalise(f"{title}\n{doc_number}\n{sentence}")
        for title, doc_number, *_rest, sentence in corpus.DOCS.values()
    ]
    assert len(texts) >= 40
    assert text.bigram_tokens_many(texts) == [text.bigram_tokens(t) for t in texts]


def test_plain_text_keeps_no_space_beside_chinese_text():
    body = "请结合实际认真贯彻执行。\n\n杭东市财政局\n2024年2月29日\n附件：PDF  版本 and   the rest"
    assert text.plain_text(body) == (
        "请结合实际认真贯彻执行。杭东市财政局2024年2月29日附件：PDF版本and the rest"
    )
