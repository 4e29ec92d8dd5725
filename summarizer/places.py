"""Places the corpus names: one table for every stage that must tell a place from a person.

``GAZETTEER`` maps a name to (city, region, country) for incident locations;
only places named in the text are ever filled in, nothing is inferred beyond
this table. ``PLACE_NAMES`` adds places that only need to be recognised as
places (a speaker is never "Mudanjiang" or "Geneva").
"""

from __future__ import annotations

CHINA, NORTH_KOREA, SOUTH_KOREA = "China", "North Korea", "South Korea"
_CHINA, _NK, _SK = CHINA, NORTH_KOREA, SOUTH_KOREA
_LAOS, _THAILAND, _VIETNAM = "Laos", "Thailand", "Vietnam"

# Towns known for the prison camps people are sent to after being returned.
NK_CAMP_TOWNS = ("Kaechon", "Jongori", "Chongori", "Jeongeori", "Yodok", "Hwasong", "Bukchang", "Jungsan")

GAZETTEER: dict[str, tuple[str | None, str | None, str | None]] = {
    # Countries on the escape routes and the two Koreas.
    **{name: (None, None, name) for name in (
        "China", "North Korea", "South Korea", "Laos", "Thailand", "Vietnam",
        "Myanmar", "Mongolia", "Russia", "Cambodia",
    )},
    "DPRK": (None, None, _NK),
    "N. Korea": (None, None, _NK),
    "N Korea": (None, None, _NK),
    "ROK": (None, None, _SK),
    # Chinese provinces along the border and the routes south.
    "Jilin": (None, "Jilin", _CHINA),
    "Liaoning": (None, "Liaoning", _CHINA),
    "Heilongjiang": (None, "Heilongjiang", _CHINA),
    "Yunnan": (None, "Yunnan", _CHINA),
    "Shandong": (None, "Shandong", _CHINA),
    "Guangxi": (None, "Guangxi", _CHINA),
    "Guangdong": (None, "Guangdong", _CHINA),
    "Yanbian": (None, "Jilin", _CHINA),
    # Chinese cities: border towns with detention centres, and transit cities.
    "Tumen": ("Tumen", "Jilin", _CHINA),
    "Yanji": ("Yanji", "Jilin", _CHINA),
    "Changbai": ("Changbai", "Jilin", _CHINA),
    "Helong": ("Helong", "Jilin", _CHINA),
    "Longjing": ("Longjing", "Jilin", _CHINA),
    "Hunchun": ("Hunchun", "Jilin", _CHINA),
    "Changchun": ("Changchun", "Jilin", _CHINA),
    "Tonghua": ("Tonghua", "Jilin", _CHINA),
    "Baishan": ("Baishan", "Jilin", _CHINA),
    "Ji'an": ("Ji'an", "Jilin", _CHINA),
    "Dandong": ("Dandong", "Liaoning", _CHINA),
    "Shenyang": ("Shenyang", "Liaoning", _CHINA),
    "Dalian": ("Dalian", "Liaoning", _CHINA),
    "Mudanjiang": ("Mudanjiang", "Heilongjiang", _CHINA),
    "Harbin": ("Harbin", "Heilongjiang", _CHINA),
    "Kunming": ("Kunming", "Yunnan", _CHINA),
    "Qingdao": ("Qingdao", "Shandong", _CHINA),
    "Nanning": ("Nanning", "Guangxi", _CHINA),
    "Guangzhou": ("Guangzhou", "Guangdong", _CHINA),
    "Shenzhen": ("Shenzhen", "Guangdong", _CHINA),
    "Beijing": ("Beijing", "Beijing", _CHINA),
    "Shanghai": ("Shanghai", "Shanghai", _CHINA),
    # North Korean provinces and cities people flee from or are returned to.
    "Ryanggang": (None, "Ryanggang", _NK),
    "North Hamgyong": (None, "North Hamgyong", _NK),
    "South Hamgyong": (None, "South Hamgyong", _NK),
    "Chagang": (None, "Chagang", _NK),
    "Hyesan": ("Hyesan", "Ryanggang", _NK),
    "Bocheon": ("Bocheon", "Ryanggang", _NK),
    "Hoeryong": ("Hoeryong", "North Hamgyong", _NK),
    "Musan": ("Musan", "North Hamgyong", _NK),
    "Onsong": ("Onsong", "North Hamgyong", _NK),
    "Namyang": ("Namyang", "North Hamgyong", _NK),
    "Chongjin": ("Chongjin", "North Hamgyong", _NK),
    "Hamhung": ("Hamhung", "South Hamgyong", _NK),
    "Manpo": ("Manpo", "Chagang", _NK),
    "Sinuiju": ("Sinuiju", "North Pyongan", _NK),
    "Pyongyang": ("Pyongyang", "Pyongyang", _NK),
    "Wonsan": ("Wonsan", "Kangwon", _NK),
    "Kimchaek": ("Kimchaek", "North Hamgyong", _NK),
    "Kanggye": ("Kanggye", "Chagang", _NK),
    "North Pyongan": (None, "North Pyongan", _NK),
    "South Pyongan": (None, "South Pyongan", _NK),
    # Prison camps, named by their towns ("three years in Kaechon").
    **{name: (name, None, _NK) for name in NK_CAMP_TOWNS},
    # South Korean places where defectors arrive or activists work.
    "Seoul": ("Seoul", "Seoul", _SK),
    "Busan": ("Busan", "Busan", _SK),
    "Incheon": ("Incheon", "Incheon", _SK),
    "Paju": ("Paju", "Gyeonggi", _SK),
    # The routes south, through Southeast Asia.
    "Vientiane": ("Vientiane", None, _LAOS),
    "Luang Namtha": (None, "Luang Namtha", _LAOS),
    "Bangkok": ("Bangkok", None, _THAILAND),
    "Chiang Rai": ("Chiang Rai", "Chiang Rai", _THAILAND),
    "Chiang Saen": ("Chiang Saen", "Chiang Rai", _THAILAND),
    "Luang Prabang": ("Luang Prabang", None, _LAOS),
    "Mengla": ("Mengla", "Yunnan", _CHINA),
    "Jinghong": ("Jinghong", "Yunnan", _CHINA),
    "Xishuangbanna": (None, "Yunnan", _CHINA),
    "Hekou": ("Hekou", "Yunnan", _CHINA),
    "Dongxing": ("Dongxing", "Guangxi", _CHINA),
    "Mong Cai": ("Mong Cai", None, _VIETNAM),
    "Ulaanbaatar": ("Ulaanbaatar", None, "Mongolia"),
    "Hanoi": ("Hanoi", None, _VIETNAM),
}

# Recognised as places, with no location details to give.
_OTHER_PLACES = (
    "Korea", "PRC", "Japan", "Tokyo", "United States", "U.S.", "US", "America", "Washington", "Moscow",
    "Taiwan", "Hong Kong", "Canada", "Toronto", "UK", "U.K.", "Britain", "London", "France",
    "Germany", "Europe", "Asia", "Australia", "Geneva", "New York", "Gangwon", "Phnom Penh",
    "WASHINGTON", "BEIJING", "SEOUL",
)
PLACE_NAMES = frozenset(GAZETTEER) | frozenset(_OTHER_PLACES)

# Places inside North Korea: leaving one is fleeing the country.
NK_PLACES = frozenset(name for name, (_, _, country) in GAZETTEER.items()
                      if country == _NK and name not in (_NK, "DPRK", "N. Korea", "N Korea"))

# Places outside North Korea: being deported there is a move, not a return.
ABROAD_PLACES = frozenset(name for name, (_, _, country) in GAZETTEER.items() if country != _NK)
