"""Generated wire stories and their copies, as outlets run them: headline rewritten, a sentence dropped or
one added, the outlet's byline, a few words changed (tests/test_duplicates.py, benchmarks/duplicates.py)."""
from __future__ import annotations

import random

WIRE_EN = [
    "Government aircraft struck the northern town of Maarat al-Numan on Tuesday morning, killing at least "
    "fourteen civilians and wounding dozens more, according to local rescue workers and a monitoring group.",
    "The strikes hit a crowded vegetable market shortly after nine o'clock, when traders and shoppers filled "
    "the narrow streets of the old quarter near the main mosque.",
    "Rescue teams from the civil defence said they pulled six bodies from the rubble of a two storey building "
    "and that the number of dead was likely to rise as the search continued into the afternoon.",
    "The Syrian Observatory for Human Rights, a Britain based monitor that relies on a network of sources on "
    "the ground, said that four children and three women were among those killed in the attack.",
    "There was no immediate comment from the government in Damascus, which has repeatedly said that its "
    "forces target only armed groups it describes as terrorists and never civilian areas.",
    "Opposition activists published videos showing thick black smoke rising over the market, burned stalls "
    "and residents carrying the wounded to a small field hospital on the edge of the town.",
    "The town lies in the south of Idlib province, the last large area held by rebel factions, where a "
    "ceasefire agreed by Russia and Turkey last year has been broken almost daily in recent weeks.",
    "The United Nations says that more than three million people live in the province, about half of whom "
    "have already fled fighting elsewhere in the country and now live in crowded camps near the border.",
    "Aid agencies warned that a wider offensive on the area would cause a humanitarian catastrophe and "
    "called on all sides to protect hospitals, schools and markets under international humanitarian law.",
    "A spokesman for a local council said that shops in the town would stay closed for three days of "
    "mourning and that families had begun burying their dead in the cemetery on the western road.",
    "Residents said warplanes continued to circle over the area through the evening and that many families "
    "had packed their belongings and were heading north towards the Turkish border in search of safety.",
    "The attack came a day after shelling on the nearby town of Khan Sheikhoun killed five people, "
    "including a paramedic, according to the same monitoring group and the civil defence.",
]
EXTRA_EN = "Reporting by the {outlet} desk; editing by the night staff."
SWAPS_EN = [("killing", "leaving dead"), ("civilians", "people"), ("Tuesday", "Tuesday,"), ("town", "city"),
            ("said", "stated"), ("wounding", "injuring"), ("rubble", "ruins"), ("warned", "cautioned")]

WIRE_AR = [
    "قصفت طائرات حربية صباح الثلاثاء سوقاً شعبية في مدينة معرة النعمان جنوب إدلب، ما أدى إلى مقتل أربعة عشر "
    "مدنياً على الأقل وإصابة العشرات، بحسب فرق الدفاع المدني ومصادر محلية في المدينة.",
    "وقال عناصر الدفاع المدني إنهم انتشلوا ست جثث من تحت أنقاض مبنى من طابقين، وإن عدد القتلى مرشح للارتفاع "
    "مع استمرار عمليات البحث حتى ساعات المساء.",
    "وذكر المرصد السوري لحقوق الإنسان أن بين القتلى أربعة أطفال وثلاث نساء، وأن الغارات استهدفت السوق في وقت "
    "الذروة حين كانت الشوارع مكتظة بالباعة والمتسوقين.",
    "ولم يصدر تعليق فوري من الحكومة في دمشق، التي تقول إن قواتها تستهدف الجماعات المسلحة فقط ولا تستهدف "
    "المناطق المدنية.",
    "ونشر ناشطون مقاطع مصورة تظهر دخاناً أسود كثيفاً يتصاعد فوق السوق، وأهالي ينقلون الجرحى إلى مستشفى "
    "ميداني صغير على أطراف المدينة.",
    "وتقع المدينة في ريف إدلب الجنوبي، آخر معقل كبير لفصائل المعارضة، حيث يتعرض وقف إطلاق النار الذي "
    "اتفقت عليه روسيا وتركيا العام الماضي لخروقات شبه يومية.",
]
EXTRA_AR = "إعداد قسم الأخبار في {outlet}."
SWAPS_AR = [("مقتل", "سقوط"), ("مدنياً", "شخصاً"), ("وقال", "وأفاد"), ("الحكومة", "السلطات"),
            ("كثيفاً", "كثيفا"), ("الجرحى", "المصابين")]

UNRELATED_EN = [
    "Talks in Geneva between the government and opposition delegations ended on Friday without agreement on "
    "a new constitution, the United Nations envoy told reporters, adding that both sides had agreed to meet "
    "again next month and that he remained hopeful despite deep divisions over the role of the president.",
    "The price of bread rose for the third time this year in government held areas, as the currency fell to a "
    "record low against the dollar and bakeries in Damascus and Aleppo reported long queues and shortages of "
    "flour and fuel that have left many families unable to afford basic food.",
    "Kurdish led forces said they had captured a senior Islamic State commander in a raid near the town of "
    "Shuhail in Deir ez-Zor province, the latest in a series of operations against sleeper cells that have "
    "carried out bombings and assassinations across the east of the country since the group lost its last "
    "territory.",
]


def _edit(sentences: list[str], rng: random.Random, outlet: str, extra: str, swaps: list) -> str:
    """One outlet's copy: maybe a sentence dropped (not the lead), maybe its byline added, two words swapped."""
    body = list(sentences)
    if rng.random() < 0.5:
        del body[rng.randrange(1, len(body))]
    if rng.random() < 0.5:
        body.append(extra.format(outlet=outlet))
    text = " ".join(body)
    for old, new in rng.sample(swaps, 2):
        text = text.replace(old, new, 1)
    return f"{outlet.upper()} - {text}"


def copies(n: int, *, lang: str = "en", seed: int = 0, story: str = "strike") -> list[dict]:
    """`n` copies of one wire story, each from its own outlet, as ingest mappings."""
    rng = random.Random(seed)
    sentences, extra, swaps = (WIRE_EN, EXTRA_EN, SWAPS_EN) if lang == "en" else (WIRE_AR, EXTRA_AR, SWAPS_AR)
    out = []
    for k in range(n):
        outlet = f"Outlet {lang.upper()} {k + 1:02d}"
        out.append({"id": f"{story}-{lang}-{k + 1:02d}", "text": _edit(sentences, rng, outlet, extra, swaps),
                    "title": f"{outlet}: strike on market kills civilians ({k + 1})", "language": lang,
                    "source": outlet, "published": f"2019-05-{1 + k % 3:02d}"})
    return out


def unrelated() -> list[dict]:
    return [{"id": f"other-{k}", "text": text, "language": "en", "source": f"Other Outlet {k}",
             "published": "2019-06-01"} for k, text in enumerate(UNRELATED_EN)]


def corpus_of(n: int, seed: int = 0) -> list[dict]:
    """`n` documents for the benchmark: stories of 12 sentences drawn from the pool with every third word
    replaced by one drawn from the pool's words (so that two stories share few phrases, as two reports of
    one war do), ten copies of each."""
    rng = random.Random(seed)
    pool = WIRE_EN + UNRELATED_EN
    vocabulary = sorted({w for s in pool for w in s.split()})
    out = []
    while len(out) < n:
        story = [" ".join(rng.choice(vocabulary) if k % 3 == 2 else w for k, w in enumerate(s.split()))
                 for s in rng.sample(pool, 12)]
        for doc in copies(10, seed=len(out), story=f"s{len(out)}"):
            doc["text"] = _edit(story, rng, doc["source"], EXTRA_EN, SWAPS_EN)
            out.append(doc)
    return out[:n]
