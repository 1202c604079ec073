#!/usr/bin/python3
"""Generate the bundled national model models/china-2024/ (spec: model-v1).

Why a generator: every table of the bundled model is derived from a small set
of cited public figures and documented estimates held in this file, so a
reviewer can see each number's origin in one place, change an assumption, and
regenerate the whole directory bit-for-bit (the output depends on nothing but
this file: stdlib only, no network, no randomness, no clock).

Usage:
    tools/make-china-model.py [--out DIR] [--count-only] [--check] [--routes]

  --out DIR      output directory (default: models/china-2024 beside tools/)
  --count-only   print the x-variable count and the totals, write nothing
  --routes       print the backbone routes the script uses, as CSV in the
                 format of `cnopt validate --routes`, write nothing (the
                 script's Dijkstra is a copy of cnopt's routing rule, which
                 lives in core/derive.c; tests/e2e/test_routes.sh checks that
                 both give the same routes)
  --check        after writing, re-read the CSVs and validate them against the
                 spec's rules (ids, ranges, references, connectivity)

The script always prints the number of x[r,s,k,t] variables the core model
will create (section 5 of the spec: shortest-path RTT by Dijkstra, class
latency limit, site capacity of the class's type, periods of windows with
positive demand), for the LP scenario and for the expansion scenario.

Every number below carries a tag in SOURCES.md: [brief] = the project's
national-network brief (public figures), [public] = public knowledge,
[estimate] = a plausible value with its derivation given there.
"""

import argparse
import csv
import heapq
import io
import math
import os
import re
import sys

PERIODS = 24

# --------------------------------------------------------------------------
# Regions: 31 provincial-level regions of mainland China; lat/lon of the
# provincial capital [public]; grid = regional power grid group used for the
# grid CO2 factor; gdp = 2023 GDP in trillion yuan, rounded [public, NBS,
# rounded to ~0.1]; dmult = compute-demand multiplier on GDP [estimate].
# --------------------------------------------------------------------------
REGIONS = [
    # id, name, capital lat, lon, grid group, gdp 2023 (trn yuan), demand mult
    ("beijing", "Beijing", 39.904, 116.407, "north", 4.4, 5.0),
    ("tianjin", "Tianjin", 39.084, 117.201, "north", 1.7, 1.2),
    ("hebei", "Hebei", 38.042, 114.515, "north", 4.4, 1.0),
    ("shanxi", "Shanxi", 37.870, 112.549, "north", 2.6, 0.8),
    ("inner_mongolia", "Inner Mongolia", 40.842, 111.749, "north", 2.5, 0.7),
    ("liaoning", "Liaoning", 41.806, 123.432, "northeast", 3.0, 0.8),
    ("jilin", "Jilin", 43.817, 125.324, "northeast", 1.4, 0.8),
    ("heilongjiang", "Heilongjiang", 45.803, 126.535, "northeast", 1.6, 0.8),
    ("shanghai", "Shanghai", 31.230, 121.474, "east", 4.7, 3.0),
    ("jiangsu", "Jiangsu", 32.060, 118.797, "east", 12.8, 1.3),
    ("zhejiang", "Zhejiang", 30.274, 120.155, "east", 8.3, 1.8),
    ("anhui", "Anhui", 31.821, 117.227, "east", 4.7, 1.0),
    ("fujian", "Fujian", 26.074, 119.296, "east", 5.4, 1.0),
    ("jiangxi", "Jiangxi", 28.682, 115.858, "central", 3.2, 0.9),
    ("shandong", "Shandong", 36.651, 117.120, "north", 9.2, 1.0),
    ("henan", "Henan", 34.747, 113.625, "central", 5.9, 0.9),
    ("hubei", "Hubei", 30.593, 114.305, "central", 5.6, 1.0),
    ("hunan", "Hunan", 28.228, 112.939, "central", 5.0, 0.9),
    ("guangdong", "Guangdong", 23.129, 113.264, "south", 13.6, 2.0),
    ("guangxi", "Guangxi", 22.817, 108.366, "south", 2.7, 0.8),
    ("hainan", "Hainan", 20.044, 110.199, "south", 0.75, 0.9),
    ("chongqing", "Chongqing", 29.563, 106.551, "southwest", 3.0, 1.0),
    ("sichuan", "Sichuan", 30.573, 104.066, "southwest", 6.0, 1.0),
    ("guizhou", "Guizhou", 26.647, 106.630, "south", 2.1, 0.8),
    ("yunnan", "Yunnan", 24.880, 102.833, "south_hydro", 3.0, 0.7),
    ("tibet", "Tibet (Xizang)", 29.650, 91.100, "southwest", 0.24, 0.7),
    ("shaanxi", "Shaanxi", 34.341, 108.940, "northwest", 3.4, 0.9),
    ("gansu", "Gansu", 36.061, 103.834, "northwest", 1.2, 0.7),
    ("qinghai", "Qinghai", 36.617, 101.778, "qinghai", 0.38, 0.7),
    ("ningxia", "Ningxia", 38.487, 106.231, "northwest", 0.53, 0.7),
    ("xinjiang", "Xinjiang", 43.825, 87.617, "northwest", 1.9, 0.7),
]

# Grid CO2 factor by grid group, tCO2/MWh [estimate]: coal-heavy north and
# north-east ~0.9 (regional baseline OM factors of the 2019 list are 0.94 and
# 1.08; rounded down for the growth of wind and solar since), east 0.7,
# central 0.65, north-west 0.75 (coal base, much wind/solar), south 0.6,
# south-west (Sichuan/Chongqing/Tibet hydro) 0.4, Yunnan hydro 0.3,
# Qinghai hydro/solar 0.3.  National average for 2022: 0.5703 [public, MEE].
GRID_CO2 = {
    "north": 0.90, "northeast": 0.90, "east": 0.70, "central": 0.65,
    "northwest": 0.75, "south": 0.60, "southwest": 0.40, "south_hydro": 0.30,
    "qinghai": 0.30,
}

# --------------------------------------------------------------------------
# Hubs [brief]; min_green_share [estimate] set for two western hubs with the
# strongest wind/solar resource and a dedicated green-power policy, empty for
# Guizhou (hydro-rich grid but no separate green-power purchase modelled) and
# for the eastern hubs.
# --------------------------------------------------------------------------
HUBS = [
    ("hub-bth", "Beijing-Tianjin-Hebei", "east", None),
    ("hub-yrd", "Yangtze River Delta", "east", None),
    ("hub-gba", "Guangdong-Hong Kong-Macao Greater Bay Area", "east", None),
    ("hub-chengyu", "Chengdu-Chongqing", "east", None),
    ("hub-guizhou", "Guizhou", "west", None),
    ("hub-inner_mongolia", "Inner Mongolia", "west", 0.5),
    ("hub-gansu", "Gansu", "west", 0.4),
    ("hub-ningxia", "Ningxia", "west", 0.3),
]

# --------------------------------------------------------------------------
# Compute types.  mw_per_pflops = MW of IT power per PFLOPS of sustained load,
# in the unit each kind of power is usually counted in China (general FP32,
# intelligent FP16, super FP64).  Derivation in SOURCES.md.
# --------------------------------------------------------------------------
TYPES = [
    ("general", 0.12),
    ("intelligent", 0.003),
    ("super", 0.15),
]
MW_PER_PFLOPS = dict(TYPES)

# --------------------------------------------------------------------------
# Sites.  Fields:
#  id, name, hub, region, pue, cap (dict type->PFLOPS), power headroom
#  (power_cap_mw = headroom * full-load facility power; None = unlimited),
#  grid_price (yuan/MWh), green_price, green_cap_mw, access_rtt_ms,
#  access_gbps (None = unlimited), green mix (solar, wind, hydro), tou pattern.
# --------------------------------------------------------------------------
S = "solar_valley"   # time-of-use pattern with a midday valley (solar provinces)
N = "standard"       # morning/evening peaks, night valley

SITES = [
    # ---- the ten national data-centre clusters [brief] ----
    dict(id="zhangjiakou", name="Zhangjiakou data centre cluster",
         hub="hub-bth", region="hebei", pue=1.20,
         cap={"general": 5000, "intelligent": 2600}, headroom=1.0,
         grid_price=560, green_price=330, green_cap_mw=300,
         access_rtt=2.0, access_gbps=None, mix=(0.4, 0.6, 0.0), tou=N),
    dict(id="wuhu", name="Wuhu data centre cluster",
         hub="hub-yrd", region="anhui", pue=1.25,
         cap={"general": 2500, "intelligent": 1500}, headroom=1.0,
         grid_price=640, green_price=460, green_cap_mw=60,
         access_rtt=2.0, access_gbps=None, mix=(0.6, 0.4, 0.0), tou=N),
    dict(id="yrd-demo-zone",
         name="Yangtze River Delta ecological green integration "
              "demonstration zone cluster (Qingpu, Wujiang, Jiashan)",
         hub="hub-yrd", region="shanghai", pue=1.25,
         cap={"general": 3000, "intelligent": 1000}, headroom=0.9,
         grid_price=720, green_price=480, green_cap_mw=50,
         access_rtt=2.0, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="shaoguan", name="Shaoguan data centre cluster",
         hub="hub-gba", region="guangdong", pue=1.25,
         cap={"general": 2500, "intelligent": 1500}, headroom=1.0,
         grid_price=680, green_price=450, green_cap_mw=80,
         access_rtt=2.5, access_gbps=None, mix=(0.5, 0.2, 0.3), tou=N),
    dict(id="tianfu", name="Tianfu data centre cluster",
         hub="hub-chengyu", region="sichuan", pue=1.22,
         cap={"general": 2000, "intelligent": 1500}, headroom=1.0,
         grid_price=560, green_price=360, green_cap_mw=150,
         access_rtt=1.5, access_gbps=None, mix=(0.1, 0.0, 0.9), tou=N),
    dict(id="chongqing-cluster", name="Chongqing data centre cluster",
         hub="hub-chengyu", region="chongqing", pue=1.25,
         cap={"general": 1800, "intelligent": 1000}, headroom=1.0,
         grid_price=600, green_price=420, green_cap_mw=60,
         access_rtt=2.0, access_gbps=None, mix=(0.2, 0.2, 0.6), tou=N),
    dict(id="guian", name="Gui'an data centre cluster",
         hub="hub-guizhou", region="guizhou", pue=1.20,
         cap={"general": 4000, "intelligent": 2500}, headroom=1.0,
         grid_price=380, green_price=290, green_cap_mw=300,
         access_rtt=2.0, access_gbps=None, mix=(0.1, 0.2, 0.7), tou=N),
    dict(id="horinger", name="Horinger data centre cluster",
         hub="hub-inner_mongolia", region="inner_mongolia", pue=1.15,
         cap={"general": 4000, "intelligent": 3000}, headroom=1.0,
         grid_price=320, green_price=260, green_cap_mw=600,
         access_rtt=2.0, access_gbps=None, mix=(0.35, 0.65, 0.0), tou=N),
    dict(id="qingyang", name="Qingyang data centre cluster",
         hub="hub-gansu", region="gansu", pue=1.15,
         cap={"general": 1500, "intelligent": 2000}, headroom=None,
         grid_price=350, green_price=260, green_cap_mw=300,
         access_rtt=3.0, access_gbps=1200, mix=(0.5, 0.5, 0.0), tou=S),
    dict(id="zhongwei", name="Zhongwei data centre cluster",
         hub="hub-ningxia", region="ningxia", pue=1.15,
         cap={"general": 3000, "intelligent": 2500}, headroom=1.0,
         grid_price=340, green_price=250, green_cap_mw=400,
         access_rtt=2.0, access_gbps=None, mix=(0.6, 0.4, 0.0), tou=S),
    # ---- named intelligent-computing centres outside the clusters ----
    dict(id="beijing-metro",
         name="Beijing metropolitan data centres (aggregate)",
         hub=None, region="beijing", pue=1.35,
         cap={"general": 6000, "intelligent": 6000}, headroom=0.85,
         grid_price=740, green_price=480, green_cap_mw=50,
         access_rtt=1.0, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="tianjin-ai", name="Tianjin artificial intelligence computing centre",
         hub=None, region="tianjin", pue=1.30,
         cap={"intelligent": 300}, headroom=1.0,
         grid_price=690, green_price=470, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="harbin-cmcc",
         name="China Mobile Harbin intelligent computing centre",
         hub=None, region="heilongjiang", pue=1.15,
         cap={"intelligent": 6600}, headroom=1.0,
         grid_price=500, green_price=330, green_cap_mw=20,
         access_rtt=2.0, access_gbps=400, mix=(0.3, 0.7, 0.0), tou=N),
    dict(id="shanghai-lingang-cu",
         name="China Unicom Shanghai Lingang intelligent computing centre",
         hub=None, region="shanghai", pue=1.25,
         cap={"general": 1000, "intelligent": 4000}, headroom=1.0,
         grid_price=720, green_price=480, green_cap_mw=20,
         access_rtt=2.0, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="hohhot-cu",
         name="China Unicom Hohhot (Horinger) intelligent computing centre",
         hub="hub-inner_mongolia", region="inner_mongolia", pue=1.15,
         cap={"general": 1500, "intelligent": 6000}, headroom=1.0,
         grid_price=320, green_price=260, green_cap_mw=200,
         access_rtt=2.0, access_gbps=None, mix=(0.35, 0.65, 0.0), tou=N),
    dict(id="shenzhen-pengcheng",
         name="Shenzhen Peng Cheng Cloud Brain intelligent computing centre",
         hub=None, region="guangdong", pue=1.30,
         cap={"intelligent": 1000}, headroom=1.0,
         grid_price=700, green_price=470, green_cap_mw=0,
         access_rtt=1.0, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="zhengzhou-ai", name="Zhengzhou artificial intelligence computing centre",
         hub=None, region="henan", pue=1.30,
         cap={"intelligent": 300}, headroom=1.0,
         grid_price=620, green_price=430, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="wuhan-ai", name="Wuhan artificial intelligence computing centre",
         hub=None, region="hubei", pue=1.30,
         cap={"intelligent": 400}, headroom=1.0,
         grid_price=630, green_price=430, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.3, 0.2, 0.5), tou=N),
    dict(id="changsha-ai", name="Changsha artificial intelligence computing centre",
         hub=None, region="hunan", pue=1.30,
         cap={"intelligent": 300}, headroom=1.0,
         grid_price=640, green_price=440, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nanjing-ai", name="Nanjing intelligent computing centre",
         hub=None, region="jiangsu", pue=1.30,
         cap={"intelligent": 800}, headroom=1.0,
         grid_price=670, green_price=450, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="xian-ai", name="Xi'an future artificial intelligence computing centre",
         hub=None, region="shaanxi", pue=1.30,
         cap={"intelligent": 300}, headroom=1.0,
         grid_price=560, green_price=380, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="hainan-lingshui", name="Hainan Lingshui intelligent computing centre",
         hub=None, region="hainan", pue=1.30,
         cap={"intelligent": 676}, headroom=1.0,
         grid_price=650, green_price=450, green_cap_mw=10,
         access_rtt=2.5, access_gbps=150, mix=(0.7, 0.3, 0.0), tou=N),
    dict(id="karamay", name="Karamay cloud and intelligent computing park",
         hub=None, region="xinjiang", pue=1.20,
         cap={"general": 500, "intelligent": 500}, headroom=None,
         grid_price=300, green_price=250, green_cap_mw=120,
         access_rtt=3.0, access_gbps=300, mix=(0.5, 0.5, 0.0), tou=S),
    # ---- national supercomputing centres [public] ----
    dict(id="nsc-tianjin", name="National Supercomputing Center in Tianjin",
         hub=None, region="tianjin", pue=1.45,
         cap={"super": 200}, headroom=1.0,
         grid_price=690, green_price=470, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-jinan", name="National Supercomputing Center in Jinan",
         hub=None, region="shandong", pue=1.45,
         cap={"super": 100}, headroom=1.0,
         grid_price=660, green_price=450, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-wuxi", name="National Supercomputing Center in Wuxi",
         hub=None, region="jiangsu", pue=1.40,
         cap={"super": 125}, headroom=1.0,
         grid_price=670, green_price=450, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-guangzhou", name="National Supercomputing Center in Guangzhou",
         hub=None, region="guangdong", pue=1.45,
         cap={"super": 100}, headroom=1.0,
         grid_price=700, green_price=470, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-changsha", name="National Supercomputing Center in Changsha",
         hub=None, region="hunan", pue=1.45,
         cap={"super": 50}, headroom=1.0,
         grid_price=640, green_price=440, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-shenzhen", name="National Supercomputing Center in Shenzhen",
         hub=None, region="guangdong", pue=1.45,
         cap={"super": 50}, headroom=1.0,
         grid_price=700, green_price=470, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-chengdu", name="National Supercomputing Center in Chengdu",
         hub=None, region="sichuan", pue=1.35,
         cap={"super": 80}, headroom=1.0,
         grid_price=560, green_price=360, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.1, 0.0, 0.9), tou=N),
    dict(id="nsc-zhengzhou", name="National Supercomputing Center in Zhengzhou",
         hub=None, region="henan", pue=1.35,
         cap={"super": 100}, headroom=1.0,
         grid_price=620, green_price=430, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
    dict(id="nsc-kunshan", name="National Supercomputing Center in Kunshan",
         hub=None, region="jiangsu", pue=1.40,
         cap={"super": 20}, headroom=1.0,
         grid_price=670, green_price=450, green_cap_mw=0,
         access_rtt=1.5, access_gbps=None, mix=(0.5, 0.5, 0.0), tou=N),
]

# --------------------------------------------------------------------------
# Workload classes.  max_rtt from the policy latency circles (1/5/20 ms) plus
# access; gbps_per_pflops and penalty derivations in SOURCES.md.
# demand = average PFLOPS over the day, nationally (before region filtering),
# regions = how the regions with demand are chosen.
# --------------------------------------------------------------------------
CLASSES = [
    # id, name, type, max_rtt_ms, gbps_per_pflops, window, penalty, avg PFLOPS,
    # shape, regions rule
    ("realtime", "Real-time processing", "general", 10, 1.0, 1, 3000,
     7000, "diurnal", "reachable"),
    ("inference", "Interactive AI inference", "intelligent", 30, 0.05, 1, 300,
     15000, "business", "reachable"),
    ("training", "AI model training", "intelligent", 250, 0.01, 24, 150,
     33000, "flat", "top18"),
    ("rendering", "Video and image rendering", "general", 60, 0.3, 6, 2000,
     3500, "evening", "top16"),
    ("analytics", "Offline data analytics", "general", 120, 0.5, 12, 1500,
     10000, "night", "top18"),
    ("backup", "Storage and backup", "general", 250, 2.0, 24, 1000,
     8000, "backup", "top18"),
    ("science", "Scientific computing", "super", 250, 0.2, 12, 2500,
     560, "flat", "science"),
]
SCIENCE_REGIONS = ["beijing", "tianjin", "shanghai", "jiangsu", "guangdong",
                   "shandong", "hubei", "hunan", "sichuan", "henan",
                   "anhui", "shaanxi", "zhejiang"]

# Daily shapes (hour 0..23, China Standard Time), normalised to mean 1 below.
SHAPES = {
    # internet traffic: night trough, day plateau, evening peak
    "diurnal": [0.45, 0.35, 0.30, 0.28, 0.28, 0.32, 0.45, 0.65, 0.85, 1.00,
                1.10, 1.15, 1.10, 1.05, 1.10, 1.15, 1.15, 1.10, 1.15, 1.30,
                1.40, 1.45, 1.30, 0.80],
    # business AI inference: office-hours peak, moderate evening
    "business": [0.40, 0.30, 0.25, 0.25, 0.25, 0.30, 0.45, 0.70, 1.05, 1.30,
                 1.40, 1.35, 1.15, 1.25, 1.40, 1.40, 1.35, 1.20, 1.10, 1.15,
                 1.20, 1.10, 0.85, 0.60],
    "flat": [1.00] * 24,
    # rendering: submitted in the day and evening, runs on
    "evening": [0.80, 0.75, 0.70, 0.70, 0.70, 0.70, 0.75, 0.85, 0.95, 1.05,
                1.10, 1.15, 1.15, 1.15, 1.20, 1.20, 1.20, 1.20, 1.25, 1.25,
                1.20, 1.10, 1.00, 0.90],
    # offline analytics: nightly batch jobs
    "night": [1.40, 1.45, 1.45, 1.40, 1.30, 1.20, 1.00, 0.85, 0.75, 0.70,
              0.70, 0.70, 0.70, 0.70, 0.70, 0.70, 0.75, 0.80, 0.85, 0.90,
              1.00, 1.15, 1.30, 1.40],
    # backup: strong night window
    "backup": [1.70, 1.90, 1.90, 1.90, 1.80, 1.50, 1.00, 0.70, 0.50, 0.45,
               0.45, 0.45, 0.45, 0.45, 0.45, 0.45, 0.50, 0.55, 0.60, 0.70,
               0.90, 1.10, 1.30, 1.50],
}

# --------------------------------------------------------------------------
# Backbone links.  Neighbouring provinces plus trunk routes between hubs.
# Each entry: (a, b, gbps or None, kind).  kind: "n" neighbour, "t" trunk.
# gbps [estimate]: capacity available to inter-region computing traffic.
# --------------------------------------------------------------------------
LINKS = [
    # north
    ("beijing", "tianjin", 4000, "n"),
    ("beijing", "hebei", 4000, "n"),
    ("tianjin", "hebei", 2000, "n"),
    ("hebei", "shanxi", 1200, "n"),
    ("hebei", "inner_mongolia", 2000, "n"),
    ("hebei", "liaoning", 1200, "n"),
    ("hebei", "shandong", 1600, "n"),
    ("hebei", "henan", 1600, "n"),
    ("shanxi", "inner_mongolia", 800, "n"),
    ("shanxi", "shaanxi", 800, "n"),
    ("shanxi", "henan", 800, "n"),
    # north-east
    ("inner_mongolia", "heilongjiang", 400, "n"),
    ("inner_mongolia", "liaoning", 400, "n"),
    ("liaoning", "jilin", 1200, "n"),
    ("jilin", "heilongjiang", 1200, "n"),
    # north-west
    ("inner_mongolia", "ningxia", 800, "n"),
    ("inner_mongolia", "gansu", 400, "n"),
    ("shaanxi", "gansu", 1200, "n"),
    ("shaanxi", "ningxia", 1200, "n"),
    ("gansu", "ningxia", 1200, "n"),
    ("gansu", "qinghai", 400, "n"),
    ("gansu", "xinjiang", 300, "n"),        # deliberate far-west bottleneck
    ("qinghai", "tibet", 100, "n"),         # deliberate far-west bottleneck
    # east
    ("shanghai", "jiangsu", 4000, "n"),
    ("shanghai", "zhejiang", 4000, "n"),
    ("jiangsu", "zhejiang", 2000, "n"),
    ("jiangsu", "anhui", 2400, "n"),
    ("jiangsu", "shandong", 1600, "n"),
    ("zhejiang", "anhui", 1600, "n"),
    ("zhejiang", "fujian", 1200, "n"),
    ("zhejiang", "jiangxi", 800, "n"),
    ("anhui", "jiangxi", 800, "n"),
    ("anhui", "henan", 1200, "n"),
    ("anhui", "hubei", 1200, "n"),
    ("anhui", "shandong", 800, "n"),
    ("fujian", "jiangxi", 800, "n"),
    ("fujian", "guangdong", 1200, "n"),
    # central
    ("jiangxi", "hubei", 800, "n"),
    ("jiangxi", "hunan", 800, "n"),
    ("jiangxi", "guangdong", 800, "n"),
    ("shandong", "henan", 1200, "n"),
    ("henan", "hubei", 1600, "n"),
    ("henan", "shaanxi", 1600, "n"),
    ("hubei", "hunan", 1600, "n"),
    ("hubei", "chongqing", 1200, "n"),
    ("hubei", "shaanxi", 800, "n"),
    ("hunan", "guangdong", 1600, "n"),
    ("hunan", "guangxi", 800, "n"),
    ("hunan", "guizhou", 1200, "n"),
    # south
    ("guangdong", "guangxi", 1200, "n"),
    ("guangdong", "hainan", 200, "n"),      # submarine cables, bottleneck
    ("guangxi", "guizhou", 800, "n"),
    ("guangxi", "yunnan", 600, "n"),
    # south-west
    ("chongqing", "sichuan", 3200, "n"),
    ("chongqing", "guizhou", 2000, "n"),
    ("chongqing", "shaanxi", 800, "n"),
    ("sichuan", "guizhou", 1200, "n"),
    ("sichuan", "yunnan", 800, "n"),
    ("sichuan", "tibet", 100, "n"),         # deliberate far-west bottleneck
    ("sichuan", "gansu", 800, "n"),
    ("sichuan", "shaanxi", 1200, "n"),
    ("guizhou", "yunnan", 800, "n"),
    # trunk routes between hubs (east-west and east-east)
    ("beijing", "shanghai", 4000, "t"),
    ("beijing", "guangdong", 3200, "t"),
    ("shanghai", "guangdong", 3200, "t"),
    ("beijing", "inner_mongolia", 3000, "t"),
    ("beijing", "ningxia", 1500, "t"),
    ("shanghai", "ningxia", 1200, "t"),
    ("shanghai", "gansu", 1000, "t"),
    ("shanghai", "guizhou", 1500, "t"),
    ("guangdong", "guizhou", 2000, "t"),
    ("beijing", "heilongjiang", 1000, "t"),
    ("guangdong", "sichuan", 1500, "t"),
]

# RTT model [estimate]: fibre route length = ROUTE_FACTOR * great-circle
# distance; light in fibre ~200 km/ms; plus a fixed per-link overhead for
# switching/regeneration.
ROUTE_FACTOR = 1.5
FIBRE_KM_PER_MS = 200.0
LINK_OVERHEAD_MS = 1.0
# Transfer cost [estimate]: 0.002 yuan per Gbps-hour per km of great-circle
# distance (~1.5 yuan/Gbps-h for 750 km), floor 0.2.
COST_PER_KM = 0.002
COST_FLOOR = 0.2

# Expansion options [estimate] at western sites: module sized as a typical
# data-hall phase; module_mw = module IT power * PUE; module_cost = one year
# of annualised capex (objective counts one year: 365 typical days).
EXPANSIONS = [
    # site, type, module_pflops, max_modules, capex yuan per PFLOPS
    ("horinger", "general", 500, 4, 13.5e6),
    ("guian", "general", 500, 4, 13.5e6),
    ("zhongwei", "general", 500, 4, 13.5e6),
    ("qingyang", "intelligent", 1000, 5, 0.9e6),
    ("zhongwei", "intelligent", 1000, 5, 0.9e6),
    ("karamay", "intelligent", 500, 4, 0.9e6),
]
# capital recovery factors [estimate]: 8% WACC; servers 5 years, building and
# power 15 years; IT share of capex: general 0.85, intelligent 0.9.
WACC = 0.08


def crf(rate, years):
    return rate / (1.0 - (1.0 + rate) ** -years)


def annualised(capex, it_share):
    return capex * (it_share * crf(WACC, 5) + (1 - it_share) * crf(WACC, 15))


# Carbon [public]: national ETS allowance prices traded mostly between ~60 and
# ~100 yuan/t in 2023-2024; the base scenario uses 80.
CARBON_PRICE = 80
# Carbon-cap scenario: cap set below the base optimum's emissions so that the
# cap binds.  BASE_EMISSIONS_T is measured (base scenario solved with GLPK,
# see REFERENCE below); re-measure it whenever the tables change.
BASE_EMISSIONS_T = 21.83e6
CARBON_CAP_SHARE = 0.95
CARBON_CAP_T = round(BASE_EMISSIONS_T * CARBON_CAP_SHARE, -4)

NATIONAL_EFLOPS_2024 = 246.0   # [brief]

# Reference optima, measured when the tables were last tuned by building the
# spec's LP independently (a throw-away Python writer of the LP, solved with
# glpsol; not part of the project).  Printed in SOURCES.md for cross-checking
# cnopt; they must be re-measured whenever the tables change.
REFERENCE = [
    ("scenario.yaml", "optimal, 2.011947e10 yuan",
     "emissions 21.83 Mt, energy 38.8 TWh, green share 21%; all real-time, "
     "inference, rendering, analytics, backup and science served; 5.3% of "
     "training unserved (penalty part 2.284e9 yuan); busiest links "
     "Hunan-Guizhou, Hebei-Shandong, Jiangsu-Anhui, Guangdong-Guizhou "
     "(binding most hours); the Inner Mongolia green-share rule binds"),
    ("scenario-expansion.yaml", "integer optimal, 1.827393e10 yuan",
     "4 intelligent modules at Karamay (the cheapest power), no other "
     "module; nothing unserved"),
    ("scenario-carbon-cap.yaml", "optimal, 2.023138e10 yuan",
     "the cap binds with a shadow price of 220 yuan/t on top of the 80 "
     "yuan/t carbon price; green share rises to 25%"),
]


# ==========================================================================
# helpers
# ==========================================================================
def fmt(x):
    """Plain decimal, no exponent, no trailing zeros."""
    if isinstance(x, int):
        return str(x)
    if x is None:
        return ""
    if abs(x - round(x)) < 1e-9 and abs(x) < 1e15:
        return str(int(round(x)))
    s = "%.6f" % x
    s = s.rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


# --------------------------------------------------------------------------
# Site coordinates, degrees [public: city or district of the cluster / centre;
# estimate: the point within it, ~0.05 degrees].  The ten national clusters
# first (brief: Zhangjiakou, Wuhu, YRD demonstration zone, Shaoguan, Tianfu,
# Chongqing, Gui'an, Horinger, Qingyang, Zhongwei).
# --------------------------------------------------------------------------
COORDS = {
    "zhangjiakou": (40.77, 114.88),          # Zhangjiakou, Hebei
    "wuhu": (31.35, 118.43),                 # Wuhu, Anhui
    "yrd-demo-zone": (31.05, 120.90),        # Qingpu-Wujiang-Jiashan zone centre
    "shaoguan": (24.81, 113.60),             # Shaoguan, Guangdong
    "tianfu": (30.40, 104.07),               # Tianfu New Area, Chengdu
    "chongqing-cluster": (29.78, 106.50),    # Liangjiang (Shuitu), Chongqing
    "guian": (26.42, 106.40),                # Gui'an New Area, Guizhou
    "horinger": (40.38, 111.82),             # Horinger county, Hohhot
    "qingyang": (35.71, 107.64),             # Qingyang, Gansu
    "zhongwei": (37.50, 105.19),             # Zhongwei, Ningxia
    "beijing-metro": (39.90, 116.41),        # Beijing
    "tianjin-ai": (39.13, 117.20),           # Tianjin
    "harbin-cmcc": (45.80, 126.53),          # Harbin
    "shanghai-lingang-cu": (30.90, 121.93),  # Lingang, Shanghai
    "hohhot-cu": (40.84, 111.75),            # Hohhot
    "shenzhen-pengcheng": (22.59, 113.97),   # Nanshan, Shenzhen
    "zhengzhou-ai": (34.75, 113.63),         # Zhengzhou
    "wuhan-ai": (30.59, 114.31),             # Wuhan
    "changsha-ai": (28.23, 112.94),          # Changsha
    "nanjing-ai": (32.06, 118.80),           # Nanjing
    "xian-ai": (34.34, 108.94),              # Xi'an
    "hainan-lingshui": (18.51, 110.04),      # Lingshui, Hainan
    "karamay": (45.58, 84.89),               # Karamay, Xinjiang
    "nsc-tianjin": (39.03, 117.71),          # Binhai New Area, Tianjin
    "nsc-jinan": (36.67, 117.13),            # Jinan
    "nsc-wuxi": (31.49, 120.31),             # Wuxi
    "nsc-guangzhou": (23.06, 113.39),        # Guangzhou Higher Education Mega Center
    "nsc-changsha": (28.18, 112.94),         # Yuelu, Changsha
    "nsc-shenzhen": (22.53, 113.93),         # Nanshan, Shenzhen
    "nsc-chengdu": (30.38, 104.08),          # Tianfu New Area, Chengdu
    "nsc-zhengzhou": (34.81, 113.53),        # Zhengzhou
    "nsc-kunshan": (31.38, 120.98),          # Kunshan
}


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


REG = {r[0]: r for r in REGIONS}
REG_INDEX = {r[0]: i for i, r in enumerate(REGIONS)}


def link_rows():
    rows = []
    for a, b, gbps, kind in LINKS:
        ra, rb = REG[a], REG[b]
        d = haversine_km(ra[2], ra[3], rb[2], rb[3])
        rtt = 2.0 * d * ROUTE_FACTOR / FIBRE_KM_PER_MS + LINK_OVERHEAD_MS
        cost = max(COST_FLOOR, COST_PER_KM * d)
        rows.append(dict(frm=a, to=b, rtt=round(rtt, 2), gbps=gbps,
                         cost=round(cost, 2), km=d, kind=kind))
    return rows


def shortest_paths(links, src):
    """Dijkstra by (rtt, hops, sequence of region indices), per the spec.

    Returns dict region -> (rtt, hops, path list of region ids)."""
    adj = {r[0]: [] for r in REGIONS}
    for l in links:
        adj[l["frm"]].append((l["to"], l["rtt"], l))
        adj[l["to"]].append((l["frm"], l["rtt"], l))
    best = {}
    heap = [(0.0, 0, [REG_INDEX[src]], src)]
    while heap:
        d, h, seq, u = heapq.heappop(heap)
        if u in best:
            continue
        best[u] = (d, h, [REGIONS[i][0] for i in seq])
        for v, w, _ in adj[u]:
            if v not in best:
                heapq.heappush(heap, (d + w, h + 1, seq + [REG_INDEX[v]], v))
    return best


def all_routes(links):
    lk = {}
    for l in links:
        lk[(l["frm"], l["to"])] = l
        lk[(l["to"], l["frm"])] = l
    routes = {}
    for r in REGIONS:
        sp = shortest_paths(links, r[0])
        for dst, (d, h, path) in sp.items():
            tc = sum(lk[(path[i], path[i + 1])]["cost"] for i in range(len(path) - 1))
            routes[(r[0], dst)] = (d, tc, path)
    return routes


def print_routes(routes):
    """The routes as `cnopt validate --routes` prints them (ordered pairs in
    the order of REGIONS, %.15g numbers)."""
    print("from,to,rtt_ms,cost_yuan_per_gbps_h,hops,path")
    for r in REGIONS:
        for d in REGIONS:
            if r[0] == d[0]:
                continue
            if (r[0], d[0]) not in routes:
                print("%s,%s,inf,,," % (r[0], d[0]))
                continue
            rtt, tc, path = routes[(r[0], d[0])]
            print("%s,%s,%.15g,%.15g,%d,%s" % (r[0], d[0], rtt, tc, len(path) - 1,
                                             ">".join(path)))


def site_rtt(routes, region, site):
    key = (region, site["region"])
    if key not in routes:
        return None
    return routes[key][0] + site["access_rtt"]


def normalised(shape):
    m = sum(shape) / len(shape)
    return [v / m for v in shape]


def tz_shift(region):
    """Local daily rhythm lags Beijing time by ~(120 - lon)/15 hours."""
    return int(round((120.0 - REG[region][3]) / 15.0))


# ==========================================================================
# build the tables
# ==========================================================================
def build():
    links = link_rows()
    routes = all_routes(links)
    class_by_id = {c[0]: c for c in CLASSES}

    # demand index per region
    index = {r[0]: r[5] * r[6] for r in REGIONS}
    order = sorted(index, key=lambda k: (-index[k], REG_INDEX[k]))

    def sites_of_type(t):
        return [s for s in SITES if t in s["cap"]]

    def reachable(region, cls):
        return [s for s in sites_of_type(cls[2])
                if site_rtt(routes, region, s) is not None
                and site_rtt(routes, region, s) <= cls[3] + 1e-9]

    class_regions = {}
    for c in CLASSES:
        rule = c[9]
        if rule == "reachable":
            regs = [r[0] for r in REGIONS if reachable(r[0], c)]
        elif rule.startswith("top"):
            n = int(rule[3:])
            top = set(order[:n])
            regs = [r[0] for r in REGIONS if r[0] in top]
        elif rule == "science":
            regs = [r[0] for r in REGIONS if r[0] in SCIENCE_REGIONS]
        else:
            raise SystemExit("bad rule " + rule)
        class_regions[c[0]] = regs

    demand = []   # (region, class, period, pflops)
    for r in REGIONS:
        for c in CLASSES:
            regs = class_regions[c[0]]
            if r[0] not in regs:
                continue
            share = index[r[0]] / sum(index[x] for x in regs)
            avg = c[7] * share
            shape = normalised(SHAPES[c[8]])
            sh = tz_shift(r[0]) if c[8] != "flat" else 0
            for t in range(PERIODS):
                v = avg * shape[(t - sh) % 24]
                demand.append((r[0], c[0], t, round(v, 3)))

    # profiles
    profiles = []
    for s in SITES:
        lon = REG[s["region"]][3]
        noon = 12.0 + (120.0 - lon) / 15.0     # solar noon in Beijing time
        ws, ww, wh = s["mix"]
        for t in range(PERIODS):
            hmid = t + 0.5
            x = (hmid - noon) / 12.0 * math.pi
            solar = 0.85 * max(0.0, math.cos(x)) if abs(hmid - noon) < 6 else 0.0
            wind = 0.40 + 0.15 * math.cos(2 * math.pi * (hmid - 3.0) / 24.0)
            hydro = 0.85
            g = ws * solar + ww * wind + wh * hydro
            profiles.append((s["id"], t, round(min(1.0, g), 3),
                             tou_factor(s["tou"], t)))

    # sites table values
    site_rows = []
    for s in SITES:
        full = s["pue"] * sum(MW_PER_PFLOPS[t] * p for t, p in s["cap"].items())
        cap_mw = None if s["headroom"] is None else round(full * s["headroom"], 1)
        co2 = GRID_CO2[REG[s["region"]][4]]
        site_rows.append(dict(s, power_cap_mw=cap_mw, grid_co2=co2,
                              full_mw=full))

    exp_rows = []
    for site, typ, mp, mx, capex in EXPANSIONS:
        s = next(x for x in SITES if x["id"] == site)
        mw = round(mp * MW_PER_PFLOPS[typ] * s["pue"], 2)
        it_share = 0.85 if typ == "general" else 0.9
        cost = round(annualised(capex * mp, it_share), -5)
        exp_rows.append(dict(site=site, type=typ, module_pflops=mp,
                             module_mw=mw, module_cost=cost, max_modules=mx,
                             capex=capex))

    return dict(links=links, routes=routes, demand=demand, profiles=profiles,
                sites=site_rows, expansions=exp_rows,
                class_regions=class_regions, index=index, order=order)


def tou_factor(pattern, t):
    if pattern == "standard":
        if t in (23, 0, 1, 2, 3, 4, 5, 6):
            return 0.5
        if t in (9, 10, 11, 17, 18, 19, 20, 21):
            return 1.4
        return 1.0
    if pattern == "solar_valley":
        if t in (10, 11, 12, 13, 14, 15):
            return 0.45
        if t in (1, 2, 3, 4, 5):
            return 0.7
        if t in (6, 7, 18, 19, 20, 21, 22):
            return 1.4
        return 1.0
    raise SystemExit("bad tou " + pattern)


# ==========================================================================
# x-variable count (spec section 5)
# ==========================================================================
def count_x(data, with_expansion=False):
    """Count x[r,s,k,t] exactly as the spec creates them.

    x exists for (r, s, k, t) when a backbone route exists, RTT(r,s) =
    shortest-path rtt + access_rtt_ms(s) <= max_rtt_ms(k) + 1e-9, site s has
    capacity (or, with expansion, an expansion option) of type(k), and the
    demand of (r, k) over the window b(t) is positive."""
    routes = data["routes"]
    dem = {}
    for r, k, t, v in data["demand"]:
        dem[(r, k, t)] = v
    exp_types = {}
    for e in data["expansions"]:
        exp_types.setdefault(e["site"], set()).add(e["type"])
    total = 0
    per_class = {}
    for c in CLASSES:
        kid, typ, maxrtt, window = c[0], c[2], c[3], c[5]
        n = 0
        for r in REGIONS:
            # periods of windows with positive demand
            periods = 0
            for b0 in range(0, PERIODS, window):
                ts = range(b0, min(b0 + window, PERIODS))
                if sum(dem.get((r[0], kid, t), 0.0) for t in ts) > 0:
                    periods += len(ts)
            if periods == 0:
                continue
            for s in SITES:
                has = typ in s["cap"] or (
                    with_expansion and typ in exp_types.get(s["id"], ()))
                if not has:
                    continue
                key = (r[0], s["region"])
                if key not in routes:
                    continue
                if routes[key][0] + s["access_rtt"] <= maxrtt + 1e-9:
                    n += periods
        per_class[kid] = n
        total += n
    return total, per_class


# ==========================================================================
# totals used in SOURCES.md and the report
# ==========================================================================
def totals(data):
    cap = {t: 0.0 for t, _ in TYPES}
    for s in SITES:
        for t, p in s["cap"].items():
            cap[t] += p
    dem = {t: 0.0 for t, _ in TYPES}
    peak_by_t = [0.0] * PERIODS
    cls_type = {c[0]: c[2] for c in CLASSES}
    cls_avg = {c[0]: 0.0 for c in CLASSES}
    for r, k, t, v in data["demand"]:
        dem[cls_type[k]] += v / PERIODS
        cls_avg[k] += v / PERIODS
        peak_by_t[t] += v
    hub_zone = {h[0]: h[2] for h in HUBS}
    east_regions = {"beijing", "tianjin", "hebei", "shanghai", "jiangsu",
                    "zhejiang", "anhui", "guangdong", "sichuan", "chongqing"}
    zone_cap = {"east-hub": 0.0, "west-hub": 0.0, "other": 0.0}
    for s in SITES:
        tot = sum(s["cap"].values())
        if s["hub"]:
            zone_cap[hub_zone[s["hub"]] + "-hub"] += tot
        else:
            zone_cap["other"] += tot
    east_dem = sum(v for r, k, t, v in data["demand"] if r in east_regions) / PERIODS
    west_regions = {"inner_mongolia", "guizhou", "gansu", "ningxia"}
    zone = lambda r: ("east" if r in east_regions else
                      "west" if r in west_regions else "other")
    zcap = {(z, t): 0.0 for z in ("east", "west", "other") for t, _ in TYPES}
    zdem = dict(zcap)
    for s in SITES:
        for t, p in s["cap"].items():
            zcap[(zone(s["region"]), t)] += p
    for r, k, t, v in data["demand"]:
        zdem[(zone(r), cls_type[k])] += v / PERIODS
    return dict(cap=cap, dem=dem, cls_avg=cls_avg, peak=max(peak_by_t),
                zone_cap=zone_cap, east_dem=east_dem, zcap=zcap, zdem=zdem,
                total_cap=sum(cap.values()), total_dem=sum(dem.values()))


def max_serving_cost(data, cls, carbon_price=200.0):
    """Upper bound of the cost of serving 1 PFLOPS for 1 hour of class cls:
    dearest site energy at peak tariff with carbon, plus dearest route."""
    typ = cls[2]
    worst = 0.0
    for s in data["sites"]:
        if typ not in s["cap"]:
            continue
        e = s["pue"] * MW_PER_PFLOPS[typ] * max(
            s["grid_price"] * 1.5 + carbon_price * s["grid_co2"],
            s["green_price"])
        worst = max(worst, e)
    tc = max(v[1] for v in data["routes"].values())
    return worst + cls[4] * tc


# ==========================================================================
# writing
# ==========================================================================
def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else (fmt(v) if isinstance(v, (int, float))
                                           else v) for v in row])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def write_all(out, data):
    os.makedirs(out, exist_ok=True)
    j = lambda n: os.path.join(out, n)
    write_csv(j("types.csv"), ["id", "mw_per_pflops"], TYPES)
    write_csv(j("regions.csv"), ["id", "name", "lat", "lon"],
              [(r[0], r[1], r[2], r[3]) for r in REGIONS])
    write_csv(j("hubs.csv"), ["id", "name", "zone", "min_green_share"], HUBS)
    write_csv(j("sites.csv"),
              ["id", "name", "hub", "region", "pue", "power_cap_mw",
               "grid_price", "green_price", "green_cap_mw", "grid_co2",
               "access_rtt_ms", "access_gbps", "lat", "lon"],
              [(s["id"], s["name"], s["hub"], s["region"], s["pue"],
                s["power_cap_mw"], s["grid_price"], s["green_price"],
                s["green_cap_mw"], s["grid_co2"], s["access_rtt"],
                s["access_gbps"], COORDS[s["id"]][0], COORDS[s["id"]][1])
               for s in data["sites"]])
    cap_rows = []
    for s in SITES:
        for t, _ in TYPES:
            if t in s["cap"]:
                cap_rows.append((s["id"], t, s["cap"][t]))
    write_csv(j("capacity.csv"), ["site", "type", "pflops"], cap_rows)
    write_csv(j("links.csv"), ["from", "to", "rtt_ms", "gbps", "cost"],
              [(l["frm"], l["to"], l["rtt"], l["gbps"], l["cost"])
               for l in data["links"]])
    write_csv(j("classes.csv"),
              ["id", "name", "type", "max_rtt_ms", "gbps_per_pflops", "window",
               "penalty"],
              [c[:7] for c in CLASSES])
    write_csv(j("demand.csv"), ["region", "class", "period", "pflops"],
              data["demand"])
    write_csv(j("profiles.csv"), ["site", "period", "green_avail", "price_factor"],
              data["profiles"])
    write_csv(j("expansions.csv"),
              ["site", "type", "module_pflops", "module_mw", "module_cost",
               "max_modules"],
              [(e["site"], e["type"], e["module_pflops"], e["module_mw"],
                e["module_cost"], e["max_modules"]) for e in data["expansions"]])
    write_scenarios(out)
    with open(j("SOURCES.md"), "w", encoding="utf-8") as f:
        f.write(sources_md(data))


SCENARIO_HEAD = """\
# Generated by tools/make-china-model.py; edit the script, not this file.
# A typical day of 2024 (24 hourly periods) standing for a year (weight 365).
"""


def write_scenarios(out):
    base = dict(
        name="china-2024-base",
        description="China national computing-power network, typical 2024 day "
                    "weighted to a year; carbon price 80 yuan/t; LP",
        cap="null", expansion="false")
    variants = [
        ("scenario.yaml", base),
        ("scenario-expansion.yaml", dict(
            name="china-2024-expansion",
            description="As china-2024-base, with the western expansion "
                        "modules of expansions.csv as integer decisions (MIP)",
            cap="null", expansion="true")),
        ("scenario-carbon-cap.yaml", dict(
            name="china-2024-carbon-cap",
            description="As china-2024-base, with annual emissions capped at "
                        "%d%% of the base optimum" % round(CARBON_CAP_SHARE * 100),
            cap=fmt(CARBON_CAP_T), expansion="false")),
    ]
    for fn, v in variants:
        text = SCENARIO_HEAD + (
            "name: %s\n"
            "description: \"%s\"\n"
            "model: .\n"
            "periods: 24\n"
            "period_hours: 1\n"
            "period_weight: 365\n"
            "carbon_price: %d\n"
            "carbon_cap: %s\n"
            "expansion: %s\n"
            "scale:\n"
            "  demand: 1.0\n"
            "  bandwidth: 1.0\n"
            "  green: 1.0\n"
            "  grid_price: 1.0\n" % (v["name"], v["description"], CARBON_PRICE,
                                     v["cap"], v["expansion"]))
        with open(os.path.join(out, fn), "w", encoding="utf-8") as f:
            f.write(text)


def sources_md(data):
    tt = totals(data)
    nx, per = count_x(data)
    nx_e, _ = count_x(data, with_expansion=True)
    cls = {c[0]: c for c in CLASSES}
    L = []
    a = L.append
    a("# models/china-2024: sources and derivations\n")
    a("Generated by `tools/make-china-model.py` (edit the script, then rerun "
      "it; every table here is derived from the constants in that script). "
      "Tags: **[brief]** = figure from the project's national-network brief "
      "(public reports collected in `shared/brief/national-network.md`); "
      "**[public]** = widely published public figure; **[estimate]** = no "
      "public figure used, value chosen as plausible, with its derivation.\n")
    a("The model is a *typical day* of 2024: 24 hourly periods, weighted by "
      "365 to stand for a year (`period_weight: 365`). Units follow spec "
      "model-v1: PFLOPS of sustained load, MW, yuan, tCO2, Gbps, ms.\n")

    a("## Coverage and national totals\n")
    a("| quantity | value | note |\n|---|---|---|")
    a("| national computing power 2024 | 246 EFLOPS | [brief] |")
    a("| model capacity, all types | %.1f EFLOPS | sum of capacity.csv |"
      % (tt["total_cap"] / 1000))
    a("| - general (FP32) | %.1f EFLOPS | |" % (tt["cap"]["general"] / 1000))
    a("| - intelligent (FP16) | %.1f EFLOPS | |" % (tt["cap"]["intelligent"] / 1000))
    a("| - super (FP64) | %.2f EFLOPS | |" % (tt["cap"]["super"] / 1000))
    a("| share of the national figure | %.0f%% | model capacity / 246 EFLOPS |"
      % (100 * tt["total_cap"] / 1000 / NATIONAL_EFLOPS_2024))
    a("| capacity in the 8 hubs' clusters, east / west | %.1f / %.1f EFLOPS | |"
      % (tt["zone_cap"]["east-hub"] / 1000, tt["zone_cap"]["west-hub"] / 1000))
    a("| capacity outside the clusters | %.1f EFLOPS | named centres |"
      % (tt["zone_cap"]["other"] / 1000))
    a("| model demand, daily average | %.1f EFLOPS | sum of demand.csv / 24 |"
      % (tt["total_dem"] / 1000))
    a("| - general / intelligent / super | %.1f / %.1f / %.2f EFLOPS | |"
      % (tt["dem"]["general"] / 1000, tt["dem"]["intelligent"] / 1000,
         tt["dem"]["super"] / 1000))
    a("| demand / capacity, daily average | %.0f%% | general %.0f%%, intelligent %.0f%%, super %.0f%% |"
      % (100 * tt["total_dem"] / tt["total_cap"],
         100 * tt["dem"]["general"] / tt["cap"]["general"],
         100 * tt["dem"]["intelligent"] / tt["cap"]["intelligent"],
         100 * tt["dem"]["super"] / tt["cap"]["super"]))
    a("| demand of the 10 eastern hub provinces, daily average | %.1f EFLOPS (%.0f%% of demand) | Beijing, Tianjin, Hebei, Shanghai, Jiangsu, Zhejiang, Anhui, Guangdong, Sichuan, Chongqing |"
      % (tt["east_dem"] / 1000, 100 * tt["east_dem"] / tt["total_dem"]))
    a("| peak hour demand, all types | %.1f EFLOPS | |" % (tt["peak"] / 1000))
    a("")
    a("The model covers about %.0f%% of the national 246 EFLOPS [brief]: the ten "
      "national clusters and the largest named intelligent-computing and "
      "supercomputing centres, not the thousands of enterprise and edge data "
      "centres. Demand is the part of national demand that these sites serve "
      "[estimate], sized per type:\n"
      % (100 * tt["total_cap"] / 1000 / NATIONAL_EFLOPS_2024))
    a("- general: %.0f%% of general capacity on a daily average (the policy "
      "asks for cluster utilisation of at least 65%% [brief]); %.0f%% of it "
      "arises in the ten eastern-hub provinces, which hold %.0f%% of general "
      "capacity, so cheap western capacity (grid 300-380 yuan/MWh against "
      "640-740 in the east) attracts delay-tolerant work and the east-west "
      "trunks and the links into Guizhou and Gansu fill up;"
      % (100 * tt["dem"]["general"] / tt["cap"]["general"],
         100 * tt["zdem"][("east", "general")] / tt["dem"]["general"],
         100 * tt["zcap"][("east", "general")] / tt["cap"]["general"]))
    a("- intelligent: %.0f%% of intelligent capacity, i.e. AI demand slightly "
      "exceeds installed AI supply [estimate, reflecting the widely reported "
      "shortage of AI accelerators in China in 2024]; unserved training then "
      "prices AI capacity, and the expansion scenario has something to "
      "decide;" % (100 * tt["dem"]["intelligent"] / tt["cap"]["intelligent"]))
    a("- super: %.0f%% of supercomputing capacity.\n"
      % (100 * tt["dem"]["super"] / tt["cap"]["super"]))
    a("Real-time demand of provinces with no modelled general site within the "
      "real-time latency limit (%s) is served by local facilities outside the "
      "model and is left out (it could only ever be unserved here).\n"
      % ", ".join(REG[r[0]][1] for r in REGIONS
                  if r[0] not in data["class_regions"]["realtime"]))
    a("| zone (by province) | general cap / demand | intelligent cap / demand | super cap / demand |")
    a("|---|---|---|---|")
    for z, zn in (("east", "10 eastern-hub provinces"),
                  ("west", "4 western-hub provinces"),
                  ("other", "other 17 provinces")):
        a("| %s | %s |" % (zn, " | ".join(
            "%.1f / %.1f EFLOPS" % (tt["zcap"][(z, t)] / 1000,
                                    tt["zdem"][(z, t)] / 1000)
            for t, _ in TYPES)))
    a("")
    a("FLOPS are counted as Chinese computing-power statistics usually count "
      "them [estimate: our reading of the usual convention]: general "
      "computing in FP32, intelligent (AI) computing in FP16, supercomputing in "
      "FP64; the per-type `mw_per_pflops` converts each to power, so the "
      "types are never added inside the LP (each class runs on one type).\n")
    a("The split of the national figure by type is not in the brief; with the "
      "2025 target of 35%% intelligent [brief], the modelled intelligent share "
      "(%.0f%%) is higher than the national one because the model includes the "
      "large new AI centres and not the long tail of small general-purpose "
      "rooms.\n" % (100 * tt["cap"]["intelligent"] / tt["total_cap"]))

    a("## Size of the LP\n")
    a("x variables (spec section 5, counted by the script with Dijkstra routes): "
      "**%d** for the LP scenarios, **%d** with expansions enabled. "
      "Per class: %s. Regions with demand per class are limited to keep "
      "the LP small: real-time and inference in every region that can reach "
      "a site of the type within the class latency; training, analytics and "
      "backup in the 18 regions with the largest demand index, rendering in "
      "the 16 largest, scientific computing in %d regions with major research "
      "institutions.\n"
      % (nx, nx_e, ", ".join("%s %d" % (k, v) for k, v in per.items()),
         len(SCIENCE_REGIONS)))

    a("## regions.csv\n")
    a("31 provincial-level regions of mainland China (Hong Kong, Macao and "
      "Taiwan are not modelled). `lat`,`lon` = the provincial capital "
      "(Beijing, Tianjin, Shanghai, Chongqing: city centre) [public], rounded "
      "to 0.001 degree. Tibet's English name is given as `Tibet (Xizang)`.\n")

    a("## hubs.csv\n")
    a("The 8 national hub nodes of the \"East Data, West Computing\" programme "
      "(February 2022) and their east/west role [brief]. Chengdu-Chongqing is "
      "one of the four hubs that serve major regional strategies, hence zone "
      "`east` [brief]. `min_green_share` [estimate]: Inner Mongolia 0.5 "
      "(largest wind resource; Horinger and the operators' Hohhot bases buy "
      "green power directly), Gansu 0.4, Ningxia 0.3 (solar-heavy, partly "
      "covered at night by wind); Guizhou empty (its grid is already "
      "hydro-rich; the model has no green-share rule there); eastern hubs "
      "empty.\n")

    a("## types.csv\n")
    a("| type | mw_per_pflops | derivation [estimate] |\n|---|---|---|")
    a("| general | 0.12 | CPU servers, FP32. Zhangjiakou: 1.6 million servers "
      "[brief] and 7,600 PFLOPS [brief] give ~4.75 TFLOPS per server; at an "
      "average ~0.5-0.6 kW IT per server (two-socket, older and newer "
      "generations mixed) that is 0.105-0.126 MW/PFLOPS. Cross-check: a "
      "two-socket 40-core AVX-512 server has ~12 TFLOPS FP32 peak at ~0.8 kW "
      "(0.07 MW/PFLOPS) for the newest, older fleets are 2-3x worse. |")
    a("| intelligent | 0.003 | AI accelerators, FP16. China Mobile Harbin: "
      "18,000 cards, 6.6 EFLOPS [brief] = ~370 TFLOPS per card; a card with "
      "its share of host, network and storage draws ~0.7-0.9 kW, i.e. "
      "0.002-0.0025 MW/PFLOPS for the newest cards; older fleets (~125-312 "
      "TFLOPS cards at 0.4-0.5 kW each with host) ~0.004. Fleet mix: 0.003. |")
    a("| super | 0.15 | FP64 supercomputers. Sunway TaihuLight (Wuxi): 93 PFLOPS "
      "Linpack at 15.4 MW [public, TOP500] = 0.166 MW/PFLOPS; Tianhe-2A "
      "(Guangzhou): 61.4 PFLOPS at ~18.5 MW = 0.30; newer GPU-accelerated "
      "systems are 0.02-0.05. Installed-base mix: 0.15. |")
    a("")

    a("## sites.csv and capacity.csv\n")
    a("Coordinates (`lat`, `lon`, model 1.1; they change no route, cost or "
      "result, and the report's map draws the sites there): [public] the city "
      "or district of each cluster or centre as named in the brief and in the "
      "operators' and supercomputing centres' public descriptions; [estimate] "
      "the point within it (about 0.05 degrees). The table with each place is "
      "in `models/china-2024-year/SOURCES.md`.\n\n")
    a("Sites: the ten national clusters [brief] with their hub and province, "
      "%d other named computing centres (intelligent computing, the Beijing "
      "aggregate, Karamay) and %d national supercomputing "
      "centres. `hub` is set for sites inside a national cluster (the China "
      "Unicom Hohhot base is counted in the Inner Mongolia hub, as it is in "
      "the Horinger new area [estimate]); sites in a hub province but outside "
      "its designated cluster (Beijing, Tianjin, Shanghai Lingang, Shenzhen, "
      "Guangzhou, ...) have `hub` empty, so the hub green-share rule and hub "
      "reporting cover the clusters only. The YRD demonstration-zone cluster "
      "spans Qingpu (Shanghai), Wujiang (Jiangsu) and Jiashan (Zhejiang); it "
      "is placed in region `shanghai` [estimate].\n"
      % (len(SITES) - 10 - sum(1 for s in SITES if s["id"].startswith("nsc-")),
         sum(1 for s in SITES if s["id"].startswith("nsc-"))))
    a("Capacity (PFLOPS):\n")
    a("| site | general | intelligent | super | source |\n|---|---|---|---|---|")
    cap_src = {
        "zhangjiakou": "7,600 PFLOPS end 2023 [brief]; split 5,000/2,600 [estimate]",
        "beijing-metro": "about 12,000 PFLOPS of supply in Beijing [brief]; split half/half [estimate]",
        "harbin-cmcc": "6.6 EFLOPS [brief]",
        "shanghai-lingang-cu": "China Unicom 10 EFLOPS in Lingang and Hohhot [brief]; 4,000 here [estimate]; 1,000 general cloud [estimate]",
        "hohhot-cu": "China Unicom 10 EFLOPS in Lingang and Hohhot [brief]; 6,000 here [estimate]; 1,500 general cloud [estimate]",
        "hainan-lingshui": "about 676 PFLOPS [brief]",
        "nsc-wuxi": "Sunway TaihuLight peak 125 PFLOPS [public]",
        "nsc-guangzhou": "Tianhe-2A peak ~100 PFLOPS [public]",
        "shenzhen-pengcheng": "Peng Cheng Cloud Brain II ~1 EFLOPS FP16 [public]",
    }
    for s in SITES:
        c = s["cap"]
        a("| %s | %s | %s | %s | %s |" % (
            s["id"], fmt(c.get("general", 0)) if "general" in c else "",
            fmt(c["intelligent"]) if "intelligent" in c else "",
            fmt(c["super"]) if "super" in c else "",
            cap_src.get(s["id"], "[estimate] from the site's public role and "
                        "peers' size")))
    a("")
    a("Other site columns:\n")
    a("- `pue` [estimate within policy limits]: new large data centres in hub "
      "nodes at most 1.25 in the east and 1.2 in the west [brief]; eastern "
      "clusters 1.20-1.25, western clusters 1.15-1.20 (cold dry climate, free "
      "cooling), older metropolitan centres 1.30-1.35, supercomputing centres "
      "1.35-1.45 (older air-cooled halls).")
    a("- `power_cap_mw` [estimate] = full-load facility power (PUE x sum of "
      "PFLOPS x mw_per_pflops) times a headroom: 1.0 for most sites, 0.9 for "
      "the YRD demonstration zone and 0.85 for Beijing (energy-use quotas for "
      "data centres are tight in Shanghai and Beijing), empty (unlimited: the "
      "IT capacity binds first) for Qingyang and Karamay.")
    a("- `grid_price` yuan/MWh [estimate]: large-industry tariffs, eastern "
      "coast 650-750, central 600-650, north-west and Inner Mongolia 300-350 "
      "(data-centre electricity is actively priced down there), Guizhou 380, "
      "Hebei/Zhangjiakou 560 (renewable-power trading scheme), Sichuan 560, "
      "Heilongjiang 500.")
    a("- `green_price` yuan/MWh [estimate]: direct wind/solar purchase plus "
      "green certificate; west 250-290, Zhangjiakou 330, Sichuan 360 "
      "(hydro), east 420-480 (inter-provincial green power).")
    a("- `green_cap_mw` [estimate]: contracted green supply; large in the west "
      "(Horinger 600, Zhongwei 400, Gui'an/Qingyang/Zhangjiakou 300, Hohhot "
      "Unicom 200), small in the east (0-80).")
    a("- `grid_co2` tCO2/MWh [estimate] by regional grid: north and north-east "
      "0.90 (regional baseline OM factors of 0.94 and 1.08 in the 2019 list, "
      "lowered for the renewable growth since), north-west 0.75, east 0.70, "
      "central 0.65, south (incl. Guizhou) 0.60, Sichuan/Chongqing/Tibet 0.40 "
      "(hydro), Yunnan and Qinghai 0.30. The 2022 national average was 0.5703 "
      "[public, Ministry of Ecology and Environment]; the site-weighted average "
      "of the model is %.2f." % (
          sum(s["grid_co2"] * s["full_mw"] for s in data["sites"]) /
          sum(s["full_mw"] for s in data["sites"])))
    a("- `access_rtt_ms` [estimate]: 1-1.5 ms for metropolitan centres, 2 ms "
      "for clusters, 2.5-3 ms for remote sites (Shaoguan, Lingshui, Qingyang, "
      "Karamay): within the 1 ms city / 5 ms regional latency circles [brief].")
    a("- `access_gbps` [estimate]: given only for remote sites with thin "
      "access (Qingyang 1,200, Harbin 400, Karamay 300, Lingshui 150); empty "
      "elsewhere.\n")

    a("## classes.csv\n")
    a("| class | type | max_rtt_ms | gbps_per_pflops | window | penalty | avg demand (PFLOPS) |")
    a("|---|---|---|---|---|---|---|")
    for c in CLASSES:
        a("| %s | %s | %s | %s | %s | %s | %.0f |" % (
            c[0], c[2], fmt(c[3]), fmt(c[4]), fmt(c[5]), fmt(c[6]),
            tt["cls_avg"][c[0]]))
    a("")
    a("- Latency [brief + estimate]: the policy circles are 1 ms within a city, "
      "5 ms within a region, 20 ms from a hub cluster to its core cities. "
      "Real-time: 10 ms (regional circle plus access and a margin); inference: "
      "30 ms (the 20 ms hub circle plus access and margin, so a western hub "
      "can serve nearby eastern cities but not the far coast); rendering 60 ms; "
      "analytics 120 ms; training, backup and science 250 ms (anywhere on the "
      "backbone). Work that the brief says the west takes (training, "
      "inference, rendering, offline analysis, storage and backup) has the "
      "loose limits; real-time stays local [brief].")
    a("- `window` [estimate]: 1 h for real-time and inference (no shifting), "
      "6 h rendering (jobs of an afternoon), 12 h analytics and scientific "
      "computing (half-day batch), 24 h training and backup (anywhere in the "
      "day).")
    a("- `gbps_per_pflops` [estimate], traffic between users/data and the "
      "site per PFLOPS served: 1 PFLOPS general is ~200 servers (see "
      "types.csv); real-time user traffic ~5 Mbps per server = 1.0; "
      "analytics 0.5; rendering 0.3 (scenes in, frames out); backup 2.0 "
      "(storage servers move bytes, little compute); 1 PFLOPS FP16 is ~3 "
      "accelerators: inference 0.05 (requests and tokens, images), training "
      "0.01 (datasets staged once, checkpoints); science 0.2.")
    a("- `penalty` yuan per PFLOPS-hour unserved [estimate] = value of the "
      "lost service, taken near the cloud rental price of the capacity: "
      "general 1 PFLOPS = ~200 servers = ~12,800 vCPU at ~0.1-0.25 "
      "yuan/vCPU-hour, i.e. ~1,300-3,200 yuan/h, ranked real-time 3,000 > "
      "rendering 2,000 > analytics 1,500 > backup 1,000; intelligent 1 PFLOPS "
      "FP16 = ~3 accelerators at ~10-50 yuan/card-hour: inference 300, "
      "training 150; super: 2,500. Each penalty exceeds the dearest "
      "plausible cost of serving (dearest site at 1.5x peak tariff and PUE, "
      "with a 200 yuan/t carbon price, plus the dearest route's transfer "
      "cost) by the factor below, so the optimum serves whenever any "
      "capacity, power, green and bandwidth allow; all are finite, so "
      "unserved demand prices scarcity instead of making the LP infeasible:\n")
    a("| class | max serving cost (yuan/PFLOPS-h) | penalty | ratio |\n|---|---|---|---|")
    for c in CLASSES:
        m = max_serving_cost(data, c)
        a("| %s | %.1f | %s | %.1f |" % (c[0], m, fmt(c[6]), c[6] / m))
    a("")

    a("## demand.csv\n")
    a("Demand index per region [estimate] = 2023 GDP (trillion yuan, rounded "
      "to about 0.1 [public, NBS provincial figures]; used only as a relative "
      "index) x a compute-demand multiplier reflecting where internet "
      "platforms, AI firms and financial centres sit: Beijing 5, Shanghai 3, "
      "Guangdong 2, Zhejiang 1.8, Jiangsu 1.3, Tianjin 1.2, other eastern and "
      "central provinces 0.9-1.0, north-east 0.8, western provinces 0.7-0.8. "
      "A class's national average demand (classes.csv table above) is split "
      "over the regions that have it in proportion to the index. Regions by "
      "index, largest first: %s.\n"
      % ", ".join("%s %.1f" % (r, data["index"][r]) for r in data["order"]))
    a("Hourly shape [estimate], normalised to mean 1: real-time follows "
      "internet traffic (night trough 0.28, evening peak 1.45 relative to "
      "the day's mean before normalising); inference follows office hours; "
      "training and science are flat; rendering is mildly day-heavy; "
      "analytics is night-heavy; backup peaks 1-4 h. Shapes of the diurnal "
      "classes are shifted by round((120 - capital longitude)/15) hours "
      "(one hour for most inland provinces, two for Xinjiang and Tibet), "
      "since all China keeps Beijing time but western daily rhythms run "
      "later.\n")
    a("Regions with demand per class: %s.\n" % "; ".join(
        "%s: %d" % (k, len(v)) for k, v in data["class_regions"].items()))

    a("## links.csv\n")
    nlinks = len(data["links"])
    a("%d undirected links: neighbouring provinces (%d) and trunk routes "
      "between hubs (%d: Beijing-Shanghai, Beijing-Guangdong, "
      "Shanghai-Guangdong, Beijing-Inner Mongolia, Beijing-Ningxia, "
      "Shanghai-Ningxia, Shanghai-Gansu, Shanghai-Guizhou, Guangdong-Guizhou, "
      "Beijing-Heilongjiang, Guangdong-Sichuan) [estimate, after the brief's "
      "'over 100 trunk fibre-optic cables connect the hub nodes']. The graph "
      "is connected over all 31 regions (checked by the script).\n"
      % (nlinks, sum(1 for l in data["links"] if l["kind"] == "n"),
         sum(1 for l in data["links"] if l["kind"] == "t")))
    a("- `rtt_ms` [estimate] = 2 x great-circle distance between the capitals "
      "x route factor %.1f / %.0f km/ms (light in fibre) + %.1f ms per link "
      "(switching, regeneration), rounded to 0.01 ms. E.g. Beijing-Shanghai "
      "%.0f km -> %.2f ms."
      % (ROUTE_FACTOR, FIBRE_KM_PER_MS, LINK_OVERHEAD_MS,
         next(l["km"] for l in data["links"] if (l["frm"], l["to"]) == ("beijing", "shanghai")),
         next(l["rtt"] for l in data["links"] if (l["frm"], l["to"]) == ("beijing", "shanghai"))))
    a("- `gbps` [estimate]: bandwidth of the backbone available to "
      "computing traffic (a share of the operators' backbone): 3,000-4,000 "
      "on the main trunks and inside the eastern hubs, 1,000-2,400 on major "
      "neighbour links, 400-800 on minor ones; deliberately thin towards the "
      "far west and islands: Gansu-Xinjiang 300, Sichuan-Tibet and "
      "Qinghai-Tibet 100, Guangdong-Hainan 200.")
    a("- `cost` [estimate] = %.3f yuan per Gbps-hour per km of great-circle "
      "distance (floor %.1f): wholesale long-haul bandwidth of roughly 1,000 "
      "yuan per Gbps-month per 1,000 km."
      % (COST_PER_KM, COST_FLOOR))
    a("")

    a("## profiles.csv\n")
    a("- `green_avail` [estimate] = solar x w_solar + wind x w_wind + hydro x "
      "w_hydro with site weights (e.g. Zhongwei 0.6/0.4/0, Horinger "
      "0.35/0.65/0, Gui'an 0.1/0.2/0.7, Tianfu 0.1/0/0.9). Solar: 0.85 x "
      "cos of the hour angle over a 12-hour day centred on local solar noon "
      "expressed in Beijing time (12 + (120 - lon)/15 h: about 13:00 in "
      "Ningxia and Gansu, 14:10 in Xinjiang), zero at night. Wind: 0.40 + "
      "0.15 cos, strongest at 03:00, weakest at 15:00. Hydro: flat 0.85.")
    a("- `price_factor` [estimate]: time-of-use tariffs. Standard pattern "
      "(most provinces): valley 0.5 at 23-07, peak 1.4 at 09-12 and 17-22, "
      "1.0 otherwise. Solar-valley pattern (Gansu, Ningxia, Xinjiang sites; "
      "several north-western provinces have moved the valley to midday for "
      "solar [public]): 0.45 at 10-16, 0.7 at 01-06, 1.4 at 06-08 and "
      "18-23, 1.0 otherwise.\n")

    a("## expansions.csv\n")
    a("Modules at western sites [estimate]: general 500 PFLOPS (~100,000 "
      "servers, one data-hall phase), intelligent 1,000 PFLOPS (~3,000 "
      "accelerators; Karamay 500). `module_mw` = module PFLOPS x "
      "mw_per_pflops x site PUE. `module_cost` = one year of annualised "
      "capex, because the objective counts one year of operation (typical "
      "day x 365): capex 13.5 million yuan per PFLOPS general (200 servers at "
      "~60,000 yuan plus building and power at ~10 million yuan per MW IT), "
      "0.9 million yuan per PFLOPS intelligent (~3 accelerators with hosts "
      "and network); annualised at 8% with servers over 5 years (IT share "
      "0.85 general, 0.9 intelligent) and building over 15 years.\n")
    a("| site | type | module_pflops | module_mw | module_cost (yuan/yr) | max_modules |")
    a("|---|---|---|---|---|---|")
    for e in data["expansions"]:
        a("| %s | %s | %s | %s | %s | %s |" % (
            e["site"], e["type"], fmt(e["module_pflops"]), fmt(e["module_mw"]),
            fmt(e["module_cost"]), fmt(e["max_modules"])))
    a("")

    a("## Scenarios\n")
    a("- `scenario.yaml` (`china-2024-base`): 24 periods of 1 h, weight 365, "
      "carbon price 80 yuan/t [public: national ETS allowances traded at "
      "about 60-100 yuan/t in 2023-2024], no carbon cap, LP.")
    a("- `scenario-expansion.yaml` (`china-2024-expansion`): the same with "
      "`expansion: true` (MIP over expansions.csv).")
    a("- `scenario-carbon-cap.yaml` (`china-2024-carbon-cap`): the same with "
      "`carbon_cap: %s` tCO2 = %d%% of the base optimum's emissions "
      "(%.2f Mt per year, measured by solving the base scenario with GLPK "
      "when the model was generated; regenerate the figure if the tables "
      "change), so the cap binds and its shadow price is a carbon price "
      "signal.\n" % (fmt(CARBON_CAP_T), round(CARBON_CAP_SHARE * 100),
                     BASE_EMISSIONS_T / 1e6))
    a("## Reference results\n")
    a("Measured when the tables were last tuned, by an independent build of "
      "the spec's LP solved with GLPK (not part of the project), for "
      "cross-checking cnopt; cnopt's own monolithic GLPK solve gave the same "
      "three objective values (to 10 digits) when the model was added. Alternative optima may differ in placement but "
      "not in objective value.\n")
    a("| scenario | status, objective | notes |\n|---|---|---|")
    for fn, st, note in REFERENCE:
        a("| `%s` | %s | %s |" % (fn, st, note))
    return "\n".join(L) + "\n"


# ==========================================================================
# self-check (re-reads the written CSVs)
# ==========================================================================
ID_RE = re.compile(r"^[A-Za-z0-9_.-]+$")


def check(out):
    errs = []

    def rd(name):
        with open(os.path.join(out, name), encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def num(v, where, lo=None, hi=None, allow_empty=False, integer=False):
        if v == "":
            if not allow_empty:
                errs.append("%s: empty" % where)
            return None
        if re.search(r"[eE]|nan|inf", v):
            errs.append("%s: not plain decimal %r" % (where, v))
        x = float(v)
        if not math.isfinite(x):
            errs.append("%s: not finite" % where)
        if lo is not None and x < lo:
            errs.append("%s: %s < %s" % (where, v, lo))
        if hi is not None and x > hi:
            errs.append("%s: %s > %s" % (where, v, hi))
        if integer and x != int(x):
            errs.append("%s: not integer" % where)
        return x

    def ids(rows, col, name):
        seen = set()
        for r in rows:
            if not ID_RE.match(r[col]):
                errs.append("%s: bad id %r" % (name, r[col]))
            if r[col] in seen:
                errs.append("%s: duplicate id %r" % (name, r[col]))
            seen.add(r[col])
        return seen

    def header(name, cols):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            h = next(csv.reader(f))
        if h != cols:
            errs.append("%s: header %r" % (name, h))

    header("types.csv", ["id", "mw_per_pflops"])
    header("regions.csv", ["id", "name", "lat", "lon"])
    header("hubs.csv", ["id", "name", "zone", "min_green_share"])
    header("sites.csv", ["id", "name", "hub", "region", "pue", "power_cap_mw",
                         "grid_price", "green_price", "green_cap_mw", "grid_co2",
                         "access_rtt_ms", "access_gbps", "lat", "lon"])
    header("capacity.csv", ["site", "type", "pflops"])
    header("links.csv", ["from", "to", "rtt_ms", "gbps", "cost"])
    header("classes.csv", ["id", "name", "type", "max_rtt_ms", "gbps_per_pflops",
                           "window", "penalty"])
    header("demand.csv", ["region", "class", "period", "pflops"])
    header("profiles.csv", ["site", "period", "green_avail", "price_factor"])
    header("expansions.csv", ["site", "type", "module_pflops", "module_mw",
                              "module_cost", "max_modules"])

    types = rd("types.csv")
    T = ids(types, "id", "types")
    for r in types:
        if (num(r["mw_per_pflops"], "types.mw_per_pflops", 0) or 0) <= 0:
            errs.append("types: mw_per_pflops must be > 0")
    regions = rd("regions.csv")
    R = ids(regions, "id", "regions")
    if len(R) != 31:
        errs.append("regions: %d rows, want 31" % len(R))
    for r in regions:
        num(r["lat"], "regions.lat", 15, 55)
        num(r["lon"], "regions.lon", 70, 140)
        if not r["name"]:
            errs.append("regions: empty name")
    hubs = rd("hubs.csv")
    H = ids(hubs, "id", "hubs")
    for h in hubs:
        if h["zone"] not in ("east", "west"):
            errs.append("hubs: zone %r" % h["zone"])
        num(h["min_green_share"], "hubs.min_green_share", 0, 1, allow_empty=True)
    sites = rd("sites.csv")
    Sx = ids(sites, "id", "sites")
    for s in sites:
        w = "sites[%s]" % s["id"]
        if s["hub"] and s["hub"] not in H:
            errs.append(w + ": hub")
        if s["region"] not in R:
            errs.append(w + ": region")
        num(s["pue"], w + ".pue", 1)
        num(s["power_cap_mw"], w + ".power_cap_mw", 0, allow_empty=True)
        num(s["grid_price"], w + ".grid_price", 0)
        num(s["green_price"], w + ".green_price", 0)
        num(s["green_cap_mw"], w + ".green_cap_mw", 0)
        num(s["grid_co2"], w + ".grid_co2", 0, 2)
        num(s["access_rtt_ms"], w + ".access_rtt_ms", 0)
        num(s["access_gbps"], w + ".access_gbps", 0, allow_empty=True)
    caps = rd("capacity.csv")
    seen = set()
    for c in caps:
        if c["site"] not in Sx or c["type"] not in T:
            errs.append("capacity: bad ref %r" % c)
        if (c["site"], c["type"]) in seen:
            errs.append("capacity: duplicate %r" % c)
        seen.add((c["site"], c["type"]))
        if (num(c["pflops"], "capacity.pflops", 0) or 0) <= 0:
            errs.append("capacity: pflops must be > 0")
    links = rd("links.csv")
    pairs = set()
    adj = {r: set() for r in R}
    for l in links:
        if l["from"] not in R or l["to"] not in R or l["from"] == l["to"]:
            errs.append("links: bad %r" % l)
            continue
        p = frozenset((l["from"], l["to"]))
        if p in pairs:
            errs.append("links: duplicate pair %r" % l)
        pairs.add(p)
        if (num(l["rtt_ms"], "links.rtt_ms", 0) or 0) <= 0:
            errs.append("links: rtt must be > 0")
        num(l["gbps"], "links.gbps", 0, allow_empty=True)
        num(l["cost"], "links.cost", 0, allow_empty=True)
        adj[l["from"]].add(l["to"])
        adj[l["to"]].add(l["from"])
    start = regions[0]["id"]
    stack, vis = [start], {start}
    while stack:
        u = stack.pop()
        for v in adj[u]:
            if v not in vis:
                vis.add(v)
                stack.append(v)
    if vis != R:
        errs.append("links: not connected, unreachable %r" % sorted(R - vis))
    classes = rd("classes.csv")
    K = ids(classes, "id", "classes")
    for c in classes:
        if c["type"] not in T:
            errs.append("classes: type %r" % c["type"])
        if (num(c["max_rtt_ms"], "classes.max_rtt_ms", 0) or 0) <= 0:
            errs.append("classes: max_rtt must be > 0")
        num(c["gbps_per_pflops"], "classes.gbps_per_pflops", 0)
        num(c["window"], "classes.window", 1, integer=True)
        if (num(c["penalty"], "classes.penalty", 0) or 0) <= 0:
            errs.append("classes: penalty must be > 0")
    dem = rd("demand.csv")
    seen = set()
    for d in dem:
        if d["region"] not in R or d["class"] not in K:
            errs.append("demand: bad ref %r" % d)
        key = (d["region"], d["class"], d["period"])
        if key in seen:
            errs.append("demand: duplicate %r" % (key,))
        seen.add(key)
        num(d["period"], "demand.period", 0, PERIODS - 1, integer=True)
        num(d["pflops"], "demand.pflops", 0)
    prof = rd("profiles.csv")
    seen = set()
    for p in prof:
        if p["site"] not in Sx:
            errs.append("profiles: bad site %r" % p["site"])
        key = (p["site"], p["period"])
        if key in seen:
            errs.append("profiles: duplicate %r" % (key,))
        seen.add(key)
        num(p["period"], "profiles.period", 0, PERIODS - 1, integer=True)
        num(p["green_avail"], "profiles.green_avail", 0, 1)
        num(p["price_factor"], "profiles.price_factor", 0)
    exps = rd("expansions.csv")
    seen = set()
    for e in exps:
        if e["site"] not in Sx or e["type"] not in T:
            errs.append("expansions: bad ref %r" % e)
        if (e["site"], e["type"]) in seen:
            errs.append("expansions: duplicate %r" % e)
        seen.add((e["site"], e["type"]))
        if (num(e["module_pflops"], "expansions.module_pflops", 0) or 0) <= 0:
            errs.append("expansions: module_pflops must be > 0")
        num(e["module_mw"], "expansions.module_mw", 0)
        num(e["module_cost"], "expansions.module_cost", 0)
        num(e["max_modules"], "expansions.max_modules", 1, integer=True)
    # every field of every table: no NaN/Inf text, no stray whitespace
    for name in os.listdir(out):
        if name.endswith(".csv"):
            with open(os.path.join(out, name), encoding="utf-8", newline="") as f:
                for i, row in enumerate(csv.reader(f)):
                    for v in row:
                        if v != v.strip() or v.lower() in ("nan", "inf", "-inf"):
                            errs.append("%s:%d: bad field %r" % (name, i + 1, v))
    return errs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "models", "china-2024"))
    ap.add_argument("--count-only", action="store_true")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--routes", action="store_true")
    args = ap.parse_args()

    data = build()
    if args.routes:
        print_routes(data["routes"])
        return 0
    nx, per = count_x(data)
    nx_e, _ = count_x(data, with_expansion=True)
    tt = totals(data)
    print("x variables: %d (LP scenarios), %d (expansion scenario)" % (nx, nx_e))
    print("  per class: " + ", ".join("%s=%d" % kv for kv in per.items()))
    print("capacity: %.1f EFLOPS (general %.1f, intelligent %.1f, super %.2f); "
          "%.0f%% of 246 EFLOPS"
          % (tt["total_cap"] / 1000, tt["cap"]["general"] / 1000,
             tt["cap"]["intelligent"] / 1000, tt["cap"]["super"] / 1000,
             100 * tt["total_cap"] / 1000 / NATIONAL_EFLOPS_2024))
    print("demand (daily average): %.1f EFLOPS (general %.1f, intelligent %.1f, "
          "super %.2f); peak hour %.1f EFLOPS"
          % (tt["total_dem"] / 1000, tt["dem"]["general"] / 1000,
             tt["dem"]["intelligent"] / 1000, tt["dem"]["super"] / 1000,
             tt["peak"] / 1000))
    for c in CLASSES:
        m = max_serving_cost(data, c)
        if c[6] <= m:
            raise SystemExit("penalty of %s (%s) does not exceed its max "
                             "serving cost %.1f" % (c[0], c[6], m))
    if args.count_only:
        return 0
    out = os.path.normpath(args.out)
    write_all(out, data)
    print("wrote %s" % out)
    if args.check:
        errs = check(out)
        for e in errs:
            print("CHECK: " + e, file=sys.stderr)
        if errs:
            return 1
        print("check: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
