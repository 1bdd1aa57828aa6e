"""The actor dictionary (marsad/data/actors/*.yaml) and its matcher (marsad.entities.actors)."""
import re
import time
from pathlib import Path

import pytest
import yaml

from marsad.entities import actors

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "marsad" / "data" / "actors"
EXAMPLES = ROOT / "examples"
REQUIRED = ("id", "name", "name_ar", "kind", "country", "side", "type", "aliases_en", "aliases_ar", "source")

# Surface forms deliberately claimed by two actors (document each in data/actors/README.md).
SHARED: dict[tuple[str, ...], set[str]] = {}


@pytest.fixture(scope="module")
def d():
    return actors.load()


def ids(text):
    return {m["entity"] for m in actors.match(text)}


def raw_actors():
    for path in sorted(DATA.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for a in doc.get("actors", []):
            yield path.name, a


# --- the data ---------------------------------------------------------------------------------------

def test_loads_without_problems(d):
    assert d.problems == []
    assert len(d) >= 300
    assert actors.load() is d  # cached once per process


@pytest.mark.parametrize("file,actor", list(raw_actors()), ids=lambda x: x if isinstance(x, str) else x["id"])
def test_entry_valid(file, actor):
    for key in REQUIRED:
        assert key in actor, f"{file}: {actor.get('id')} lacks {key}"
    assert re.fullmatch(r"actor:[a-z0-9]+(-[a-z0-9]+)*", actor["id"])
    assert actor["kind"] in actors.KINDS
    assert actor["side"] is None or actor["side"] in actors.SIDES
    assert actor["type"] in actors.TYPES
    assert actor["country"] is None or re.fullmatch(r"[A-Z]{2}", actor["country"])
    assert re.search(r"[\u0600-\u06FF]", actor["name_ar"]) and not re.search(r"[\u0600-\u06FF]", actor["name"])
    if actor["kind"] == "person":
        assert actor["type"] == "PER"
    if actor["kind"] == "state" and actor["type"] == "LOC":
        assert actor["country"]
    for lang in ("en", "ar"):
        for item in actor[f"aliases_{lang}"]:
            name = item["name"] if isinstance(item, dict) else item
            assert isinstance(name, str) and name.strip()
            assert bool(re.search(r"[\u0600-\u06FF]", name)) == (lang == "ar"), (actor["id"], name)


def test_ids_unique_and_parents_exist(d):
    all_ids = [a["id"] for _, a in raw_actors()]
    assert len(all_ids) == len(set(all_ids))
    for a in d:
        assert a.part_of is None or a.part_of in d, (a.id, a.part_of)


def test_labels_valid(d):
    for path in sorted(DATA.glob("*.yaml")):
        for lab in yaml.safe_load(path.read_text(encoding="utf-8")).get("labels", []):
            assert lab["actor"] in d
            assert lab["stance"] in actors.STANCES
            assert lab.get("en") or lab.get("ar")


def test_no_alias_claimed_by_two_actors(d):
    assert {k: v for k, v in d.collisions().items() if SHARED.get(k) != v} == {}


def test_every_un_member_state(d):
    states = [a for a in d if a.kind == "state" and a.type == "LOC"]
    assert len(states) >= 193
    assert len({a.country for a in states}) == len(states)


def test_generated_states_up_to_date():
    pytest.importorskip("babel")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_states", DATA / "build_states.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    built = {a["id"]: a for a in mod.build()}
    committed = {a["id"]: a for a in yaml.safe_load((DATA / "states.yaml").read_text("utf-8"))["actors"]}
    assert built == committed, "rerun python marsad/data/actors/build_states.py"


def test_describe(d):
    assert actors.describe("actor:syrian-arab-army") == {
        "name": "Syrian Arab Army", "name_ar": "الجيش العربي السوري", "kind": "armed_force",
        "country": "SY", "side": "syrian_government"}
    assert actors.describe("actor:bashar-al-assad")["side"] == "syrian_government"
    assert actors.describe("actor:russia")["kind"] == "state"
    with pytest.raises(KeyError):
        actors.describe("actor:no-such-actor")


# --- matching ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("names,entity", [
    (["SDF", "Syrian Democratic Forces", "قسد", "قوات سوريا الديمقراطية"], "actor:sdf"),
    (["ISIS", "ISIL", "Daesh", "Islamic State", "داعش", "تنظيم الدولة", "تنظيم الدولة الإسلامية"], "actor:isis"),
    (["Washington", "واشنطن", "United States", "الولايات المتحدة", "US", "U.S.", "أمريكا"], "actor:united-states"),
    (["Russia", "Russian", "روسيا", "الروسي", "Moscow", "موسكو"], "actor:russia"),
    (["Syrian Arab Army", "Syrian Army", "الجيش العربي السوري", "الجيش السوري", "SAA"], "actor:syrian-arab-army"),
    (["Nusra Front", "جبهة النصرة", "Jabhat Fateh al-Sham", "جبهة فتح الشام"], "actor:jabhat-al-nusra"),
    (["HTS", "هيئة تحرير الشام"], "actor:hayat-tahrir-al-sham"),
    (["Hezbollah", "Hizbollah", "حزب الله"], "actor:hezbollah"),
    (["PMF", "الحشد الشعبي", "Hashd al-Shaabi"], "actor:pmf"),
    (["White Helmets", "الخوذ البيضاء"], "actor:white-helmets"),
    (["SOHR", "المرصد السوري لحقوق الإنسان"], "actor:sohr"),
    (["Euphrates Shield", "درع الفرات"], "actor:euphrates-shield-forces"),
    (["Olive Branch", "غصن الزيتون"], "actor:olive-branch-forces"),
    (["MOC", "غرفة الموك"], "actor:moc"),
    (["US-led coalition", "التحالف الدولي"], "actor:us-led-coalition"),
    (["Russian Reconciliation Center", "مركز المصالحة الروسي"], "actor:russian-reconciliation-center"),
    (["Jolani", "الجولاني", "Abu Mohammad al-Jolani"], "actor:abu-mohammad-al-jolani"),
    (["Erdogan", "أردوغان"], "actor:recep-tayyip-erdogan"),
    (["Jordan", "الاردن", "الأردن"], "actor:jordan"),
    (["Israel", "اسرائيل", "إسرائيل"], "actor:israel"),
])
def test_cross_script_ids(names, entity):
    for name in names:
        assert actors.match(name) and actors.match(name)[0]["entity"] == entity, name
        assert actors.match(name)[0]["end"] == len(name.rstrip(".")), name


def test_arabic_clitics():
    for text, surface in [("وواشنطن", "واشنطن"), ("بواشنطن", "واشنطن"), ("فروسيا", "روسيا"),
                          ("وداعش", "داعش"), ("لقسد", "قسد")]:
        ms = actors.match(text)
        assert [m["text"] for m in ms] == [surface], text
    m = actors.match("التقدم المستمر للجيش العربي السوري")
    assert [x["entity"] for x in m] == ["actor:syrian-arab-army"]


def test_case_and_common_words():
    assert ids("let us go and tell us what happened") == set()
    assert ids("US troops") == {"actor:us-armed-forces"}
    assert ids("give us troops a break") == set()
    assert ids("Islamic scholars met in the state capital") == set()
    assert ids("بناء الدولة الحديثة") == set()  # الدولة alone is not ISIS
    assert ids("رأيت أسدا في الحديقة") == set()  # أسد: a lion, not Assad
    assert ids("قال الأسد") == {"actor:bashar-al-assad"}
    assert ids("President Assad said") == {"actor:bashar-al-assad"}
    assert ids("الجغرافيا السورية") == set()  # the adjective, not the country
    assert ids("وصل إلى سورية") == {"actor:syria"}


def test_labels_carried_and_resolved():
    m = actors.match("Assad forces shelled the town, rebels said.")
    assert m[0]["entity"] == "actor:syrian-arab-army" and m[0]["label"] == "Assad forces"
    assert m[0]["stance"] == "pejorative"
    assert m[1]["entity"] == "actor:armed-opposition-generic" and m[1]["label"] == "rebels"
    m = actors.match("قصفت قوات الأسد مواقع الإرهابيين")
    assert [(x["entity"], x["label"]) for x in m] == [
        ("actor:syrian-arab-army", "قوات الأسد"), ("actor:groups-labelled-terrorist", "الإرهابيين")]
    # a name is not a label
    assert "label" not in actors.match("الجيش العربي السوري")[0]
    # regime and terrorists get the same treatment
    regime, terrorists = actors.match("the regime"), actors.match("terrorists")
    assert regime[0]["stance"] == terrorists[0]["stance"] == "pejorative"
    assert actors.describe(terrorists[0]["entity"])["side"] is None


def test_mention_shape():
    text = "Hezbollah Secretary General, Hassan Nasrallah said"
    for m in actors.match(text):
        assert set(m) >= {"start", "end", "text", "type", "entity", "confidence", "source"}
        assert m["source"] == "actors" and text[m["start"]:m["end"]] == m["text"]
        assert 0 < m["confidence"] <= 1
    assert [(m["entity"], m["type"]) for m in actors.match(text)] == [
        ("actor:hezbollah", "ORG"), ("actor:hassan-nasrallah", "PER")]


EN_EXPECTED = {"actor:united-states", "actor:syrian-arab-army", "actor:russia", "actor:iran", "actor:hezbollah",
               "actor:turkey", "actor:jaysh-al-islam", "actor:sdf", "actor:ypg", "actor:france",
               "actor:saudi-arabia", "actor:donald-trump", "actor:hassan-nasrallah"}
AR_EXPECTED = {"الجيش العربي السوري": "actor:syrian-arab-army", "واشنطن": "actor:united-states",
               "روسيا": "actor:russia", "داعش": "actor:isis", "جبهة النصرة": "actor:jabhat-al-nusra",
               "قسد": "actor:sdf", "درع الفرات": "actor:euphrates-shield-forces", "الاردن": "actor:jordan",
               "اسرائيل": "actor:israel"}


def test_english_example():
    text = (EXAMPLES / "000_8b3cfa5ec77cf3e6.txt").read_text(encoding="utf-8")
    ms = actors.match(text)
    assert EN_EXPECTED <= {m["entity"] for m in ms}
    for m in ms:
        assert text[m["start"]:m["end"]] == m["text"]


def test_arabic_example():
    text = (EXAMPLES / "004_ccfa852c7e84612b.txt").read_text(encoding="utf-8")
    found = {(m["entity"]) for m in actors.match(text)}
    assert set(AR_EXPECTED.values()) <= found
    spans = {m["text"].replace("«", "").replace("»", "").strip(): m["entity"] for m in actors.match(text)}
    for surface, entity in AR_EXPECTED.items():
        core = surface[2:] if surface.startswith("ال") else surface  # "للجيش": the article's alef is elided
        assert any(core in s and e == entity for s, e in spans.items()), surface


def test_speed():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")))
    actors.match(text)  # warm
    words = len(text.split())
    t = time.perf_counter()
    for _ in range(5):
        actors.match(text)
    rate = 5 * words / (time.perf_counter() - t)
    assert rate > 5_000, f"{rate:.0f} words/s"


def test_nationality_adjectives_come_from_the_language_data():
    """A state's one-word alias of the glued article and a nisba ending (lang/ar/nationality_endings.txt) is
    typed MISC ("French"); "French" in English, a language without a glued article, keeps no type."""
    france = {(e.surface, e.lang): e.type for e in actors.load().entries if e.actor == "actor:france"}
    assert france[("الفرنسي", "ar")] == france[("الفرنسية", "ar")] == "MISC"
    assert france[("French", "en")] is None and france[("الجمهورية الفرنسية", "ar")] is None
    assert actors._is_nisba("الإيرانيين", "ar") and not actors._is_nisba("إيران", "ar")
    assert not actors._is_nisba("الفرنسي", "en")


@pytest.mark.parametrize("text, actor", [
    ("The Kyiv regime shelled the city.", "actor:ukraine"), ("The Putin regime shelled the city.", "actor:russia"),
    ("قصف نظام كييف المدينة", "actor:ukraine"), ("قصف الاحتلال الروسي المدينة", "actor:russia"),
    ("Ukrainian neo-Nazis shelled the city.", "actor:ukrainian-armed-forces"),
    ("Russian occupation forces shelled the city.", "actor:russian-armed-forces"),
])
def test_labels_of_both_sides_of_the_war_in_ukraine(text, actor):
    """Each side's pejorative words for the other are labels, by the same rule as "regime" and "terrorists"."""
    m = actors.match(text)[0]
    assert (m["entity"], m["stance"], bool(m["label"])) == (actor, "pejorative", True)
