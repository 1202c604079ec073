#!/usr/bin/python3
"""Generate the bundled year models/china-2024-year/ (spec: model 1.1).

The national network of models/china-2024 (the same regions, hubs, sites,
capacity, links, classes and expansions, taken from tools/make-china-model.py
so the two can never drift apart) over 8,760 hourly periods: 1 January to 30
December 2024 (2024 is a leap year; its 366th day, 31 December, is left out so
that the horizon is the 8,760 hours of a planning year).  What changes against
the typical day:

  * demand: the typical day's hourly shape of each (region, class) times a
    weekly shape, public holidays and make-up working days of 2024, a mild
    seasonal shape and the year's growth;
  * green availability per site: solar from the sun's elevation at the site's
    latitude on each day (so day length and strength follow latitude and
    season) times a regional cloudiness by month; wind stronger in winter and
    spring in the north; southwest hydro high in the wet season (June-October)
    and low in the dry season; day-to-day weather from a fixed-seed generator;
  * grid price: the typical day's time-of-use factors, with the critical-peak
    surcharge of July, August, December and January on peak hours;
  * sites.csv carries each site's coordinates (model 1.1).

PUE stays one value per site: the model has no per-period PUE (model 1.1), so
seasonal cooling cannot be expressed and is left out (SOURCES.md).

Every figure is tagged in models/china-2024-year/SOURCES.md ([public],
[brief], [estimate] with its derivation).  Deterministic: standard library
only, fixed seeds (random.Random with string seeds, stable across runs and
Python 3 versions), no clock, no network.

Usage:
    /usr/bin/python3 tools/make-china-year.py [--out DIR]

The output (about 45 MB of CSV) is not committed: `make` writes it
(Makefile, target `year`, part of `all`); scenario.yaml, scenario-week.yaml
and SOURCES.md are committed beside it.
"""

import argparse
import datetime
import importlib.util
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "make_china_model", os.path.join(HERE, "make-china-model.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

YEAR = 2024
DAYS = 365
PERIODS = DAYS * 24          # 8760
FIRST_DAY = datetime.date(YEAR, 1, 1)

# Site coordinates: make-china-model.py's COORDS (the day model carries them too).
COORDS = base.COORDS

# --------------------------------------------------------------------------
# Calendar of 2024 [public: State Council General Office notice on the 2024
# holiday arrangements, 25 October 2023].  Holidays (days off) and make-up
# working days (weekend days that are working days).
# --------------------------------------------------------------------------
def _days(m, d0, d1):
    return [datetime.date(YEAR, m, d) for d in range(d0, d1 + 1)]

HOLIDAYS = set(
    _days(1, 1, 1)          # New Year's Day
    + _days(2, 10, 17)      # Spring Festival
    + _days(4, 4, 6)        # Qingming
    + _days(5, 1, 5)        # Labour Day
    + _days(6, 10, 10)      # Dragon Boat Festival (the festival day; 8-9 June are a weekend)
    + _days(9, 15, 17)      # Mid-Autumn Festival
    + _days(10, 1, 7))      # National Day
MAKEUP_WORKDAYS = {datetime.date(YEAR, m, d) for m, d in
                   [(2, 4), (2, 18), (4, 7), (4, 28), (5, 11), (9, 14), (9, 29), (10, 12)]}

def day_kind(date):
    """'holiday', 'weekend' or 'workday'."""
    if date in HOLIDAYS:
        return "holiday"
    if date in MAKEUP_WORKDAYS:
        return "workday"
    return "weekend" if date.weekday() >= 5 else "workday"

# Demand factors by day kind, per class [estimate, see SOURCES.md]:
# consumer internet traffic rises on days off, business inference and batch
# analytics fall, training and backup run regardless.
DAY_FACTOR = {
    #              workday weekend holiday
    "realtime":   (1.00, 1.04, 1.06),
    "inference":  (1.00, 0.80, 0.70),
    "training":   (1.00, 1.00, 1.00),
    "rendering":  (1.00, 0.95, 0.90),
    "analytics":  (1.00, 0.85, 0.75),
    "backup":     (1.00, 1.00, 1.00),
    "science":    (1.00, 0.95, 0.85),
}
KIND_INDEX = {"workday": 0, "weekend": 1, "holiday": 2}

# Growth over the year [brief: computing power grows about 30% a year]:
# demand on day d is exp(ln(1.3) * (d / 365 - 0.5)) times the typical day
# (the mid-year day is the typical day): 0.877 on 1 January, 1.14 at the end.
GROWTH = 1.30

def growth(d):
    return math.exp(math.log(GROWTH) * ((d + 0.5) / DAYS - 0.5))

# Seasonal shape of consumer traffic [estimate]: +4% in the summer school
# holidays (peak about 20 July), -4% in mid-January; other classes none.
def season(cls, d):
    if cls == "realtime":
        return 1.0 + 0.04 * math.cos(2 * math.pi * (d - 201) / DAYS)
    return 1.0

# --------------------------------------------------------------------------
# Green availability.
# --------------------------------------------------------------------------
SOLAR_PEAK = 0.85     # the typical day's noon value at the sun's zenith (make-china-model.py)
SOUTHWEST_HYDRO = {"sichuan", "chongqing", "guizhou", "yunnan", "tibet"}

# Clear-sky fraction by region group and month [estimate, from the pattern of
# sunshine hours in public climate normals: the dry north and northwest are
# sunny all year, the Sichuan basin and Guizhou are among the cloudiest places
# in China (worst in winter), the east and south have the plum-rain season in
# June-July].
CLEAR = {
    #            J     F     M     A     M     J     J     A     S     O     N     D
    "dry":     [0.90, 0.88, 0.85, 0.85, 0.85, 0.82, 0.80, 0.82, 0.86, 0.88, 0.90, 0.90],
    "east":    [0.75, 0.70, 0.70, 0.75, 0.75, 0.60, 0.65, 0.78, 0.78, 0.80, 0.78, 0.78],
    "south":   [0.70, 0.60, 0.58, 0.62, 0.68, 0.65, 0.75, 0.75, 0.78, 0.82, 0.80, 0.75],
    "basin":   [0.45, 0.48, 0.55, 0.62, 0.65, 0.62, 0.70, 0.72, 0.58, 0.50, 0.48, 0.45],
}
CLEAR_GROUP = {
    "sichuan": "basin", "chongqing": "basin", "guizhou": "basin",
    "guangdong": "south", "guangxi": "south", "hainan": "south", "fujian": "south",
    "hunan": "south", "jiangxi": "south", "yunnan": "south",
    "shanghai": "east", "jiangsu": "east", "zhejiang": "east", "anhui": "east",
    "hubei": "east", "henan": "east", "shandong": "east",
}   # all others: "dry"

def solar(lat, lon, d, hour_mid):
    """Clear-sky solar availability at local position for hour_mid (Beijing
    time): SOLAR_PEAK * sin(elevation), declination by Cooper's formula."""
    decl = math.radians(23.44) * math.sin(2 * math.pi * (284 + d + 1) / 365.0)
    phi = math.radians(lat)
    solar_time = hour_mid + (lon - 120.0) / 15.0       # Beijing time is UTC+8 = 120E
    h = math.radians(15.0 * (solar_time - 12.0))
    s = math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(h)
    return SOLAR_PEAK * max(0.0, s)

def wind_season(lat, d):
    """Seasonal wind factor [estimate]: north of 35N the monsoon winter and
    spring winds make winter-spring output about 1.6 times summer output
    (peak around 1 March, low around 1 September); further south +-10%."""
    amp = 0.25 if lat >= 35.0 else 0.10
    return 1.0 + amp * math.cos(2 * math.pi * (d - 60) / DAYS)

def hydro(region, d):
    """Hydro availability [estimate]: southwest run-of-river output follows the
    wet season June-October (availability 0.95) and the dry season
    December-April (0.40), with a month of transition either side; elsewhere
    the typical day's 0.85 with a milder summer high (0.75-0.95)."""
    if region in SOUTHWEST_HYDRO:
        # raised cosine between dry (day 45, mid-Feb) and wet (day 228, mid-Aug)
        x = 0.5 - 0.5 * math.cos(2 * math.pi * (d - 45) / DAYS)
        # flatten the top (wet season plateau) and the bottom
        x = min(1.0, max(0.0, (x - 0.15) / 0.7))
        return 0.40 + 0.55 * x
    return 0.85 + 0.10 * math.cos(2 * math.pi * (d - 200) / DAYS)

# Day-to-day weather [estimate]: one cloud factor (0.55..1.1) and one wind
# factor (0.5..1.5) per region and day, from random.Random("<region>"),
# smoothed over three days so that weather comes in spells.
def weather(region):
    rng = random.Random("china-2024-year/weather/" + region)
    cloud = [rng.uniform(0.55, 1.10) for _ in range(DAYS + 2)]
    wind = [rng.uniform(0.50, 1.50) for _ in range(DAYS + 2)]
    sm = lambda a, i: (a[i] + a[i + 1] + a[i + 2]) / 3.0
    return [sm(cloud, i) for i in range(DAYS)], [sm(wind, i) for i in range(DAYS)]

# Critical-peak surcharge [public: NDRC notice on improving time-of-use
# tariffs, 2021 (Fagai Jiage [2021] No. 1093): critical-peak prices at least
# 20% above peak prices, applied in the summer and winter peak months].
CRITICAL_MONTHS = {1, 7, 8, 12}
CRITICAL_UPLIFT = 1.2

# --------------------------------------------------------------------------
def build(data):
    # typical-day demand by (region, class) -> 24 hourly values
    day = {}
    for r, c, t, v in data["demand"]:
        day.setdefault((r, c), [0.0] * 24)[t] = v
    dates = [FIRST_DAY + datetime.timedelta(days=d) for d in range(DAYS)]
    kinds = [KIND_INDEX[day_kind(x)] for x in dates]
    demand = []
    for (r, c), hours in day.items():
        f = DAY_FACTOR[c]
        for d in range(DAYS):
            g = growth(d) * season(c, d) * f[kinds[d]]
            for h in range(24):
                v = round(hours[h] * g, 3)
                demand.append((r, c, d * 24 + h, v))

    region_of = {s["id"]: s["region"] for s in base.SITES}
    weathers = {r: weather(r) for r in sorted(set(region_of.values()))}
    profiles = []
    for s in base.SITES:
        sid, reg = s["id"], s["region"]
        lat, lon = COORDS[sid]
        ws, ww, wh = s["mix"]
        clear = CLEAR[CLEAR_GROUP.get(reg, "dry")]
        cloud, windd = weathers[reg]
        for d in range(DAYS):
            month = dates[d].month
            cf = min(1.0, clear[month - 1] * cloud[d] / 0.825)   # mean of cloud is 0.825
            wsea = wind_season(lat, d) * windd[d]
            hy = hydro(reg, d)
            for h in range(24):
                hm = h + 0.5
                sol = solar(lat, lon, d, hm) * cf
                wind = (0.40 + 0.15 * math.cos(2 * math.pi * (hm - 3.0) / 24.0)) * wsea
                g = ws * sol + ww * min(1.0, wind) + wh * hy
                pf = base.tou_factor(s["tou"], h)
                if month in CRITICAL_MONTHS and pf >= 1.4 - 1e-9:   # peak hours
                    pf = round(pf * CRITICAL_UPLIFT, 3)
                profiles.append((sid, d * 24 + h, round(min(1.0, max(0.0, g)), 3), pf))
    return demand, profiles


def write_all(out, data, demand, profiles):
    os.makedirs(out, exist_ok=True)
    j = lambda n: os.path.join(out, n)
    w = base.write_csv
    w(j("types.csv"), ["id", "mw_per_pflops"], base.TYPES)
    w(j("regions.csv"), ["id", "name", "lat", "lon"],
      [(r[0], r[1], r[2], r[3]) for r in base.REGIONS])
    w(j("hubs.csv"), ["id", "name", "zone", "min_green_share"], base.HUBS)
    w(j("sites.csv"),
      ["id", "name", "hub", "region", "pue", "power_cap_mw", "grid_price",
       "green_price", "green_cap_mw", "grid_co2", "access_rtt_ms", "access_gbps",
       "lat", "lon"],
      [(s["id"], s["name"], s["hub"], s["region"], s["pue"], s["power_cap_mw"],
        s["grid_price"], s["green_price"], s["green_cap_mw"], s["grid_co2"],
        s["access_rtt"], s["access_gbps"], COORDS[s["id"]][0], COORDS[s["id"]][1])
       for s in data["sites"]])
    cap_rows = [(s["id"], t, s["cap"][t]) for s in base.SITES for t, _ in base.TYPES
                if t in s["cap"]]
    w(j("capacity.csv"), ["site", "type", "pflops"], cap_rows)
    w(j("links.csv"), ["from", "to", "rtt_ms", "gbps", "cost"],
      [(l["frm"], l["to"], l["rtt"], l["gbps"], l["cost"]) for l in data["links"]])
    w(j("classes.csv"),
      ["id", "name", "type", "max_rtt_ms", "gbps_per_pflops", "window", "penalty"],
      [c[:7] for c in base.CLASSES])
    w(j("profiles.csv"), ["site", "period", "green_avail", "price_factor"], profiles)
    w(j("expansions.csv"),
      ["site", "type", "module_pflops", "module_mw", "module_cost", "max_modules"],
      [(e["site"], e["type"], e["module_pflops"], e["module_mw"], e["module_cost"],
        e["max_modules"]) for e in data["expansions"]])
    # last: the Makefile takes demand.csv as the mark of a complete set
    w(j("demand.csv"), ["region", "class", "period", "pflops"], demand)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "..", "models", "china-2024-year"))
    args = ap.parse_args()
    missing = [s["id"] for s in base.SITES if s["id"] not in COORDS]
    if missing:
        raise SystemExit("no coordinates for sites: " + ", ".join(missing))
    for c in base.CLASSES:   # whole days: no window crosses midnight
        if 24 % c[5]:
            raise SystemExit("class %s has window %d, which does not divide a day" % (c[0], c[5]))
    data = base.build()
    demand, profiles = build(data)
    out = os.path.normpath(args.out)
    write_all(out, data, demand, profiles)
    print("wrote %s: %d periods, %d demand rows, %d profile rows"
          % (out, PERIODS, len(demand), len(profiles)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
