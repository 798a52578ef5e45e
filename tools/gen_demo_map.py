#!/usr/bin/env python3
"""Writes assets/demo/neighbourhood.osm: a fictional but plausible Chinese neighbourhood
(streets with names, two compounds, about 70 services across the life circle's categories,
with Chinese and English names, hours and phones), as OpenStreetMap XML so the demo goes
through the real importer. Deterministic: the same file every run.

    gen_demo_map.py OUT.osm
"""
import math
import sys
from xml.sax.saxutils import quoteattr

LAT0, LON0 = 31.2260, 121.4680  # south-west corner
M_LAT = 1 / 110540.0
M_LON = 1 / (111320.0 * math.cos(math.radians(31.23)))
SCALE = 0.75  # the plan below is drawn in 150 m blocks; the neighbourhood is 3/4 of that
STEP = 150  # plan metres between streets

EW = [("长寿路", "Changshou Road", "secondary"), ("幸福路", "Xingfu Road", "tertiary"),
      ("和平街", "Heping Street", "residential"), ("建设路", "Jianshe Road", "tertiary"),
      ("民生路", "Minsheng Road", "residential"), ("光明街", "Guangming Street", "residential")]
NS = [("银杏路", "Yinxing Road", "tertiary"), ("枫林路", "Fenglin Road", "residential"),
      ("桂花街", "Guihua Street", "residential"), ("梧桐路", "Wutong Road", "tertiary"),
      ("海棠街", "Haitang Street", "residential"), ("丁香路", "Dingxiang Road", "residential")]

nodes = {}   # id -> (lat, lon, tags)
ways = []    # (id, [node ids], tags)
next_id = [1000]


def nid():
    next_id[0] += 1
    return next_id[0]


def at(x, y):
    """A node at x, y metres from the corner (one per position)."""
    key = (round(x, 1), round(y, 1))
    if key in at.cache:
        return at.cache[key]
    i = nid()
    nodes[i] = (LAT0 + y * SCALE * M_LAT, LON0 + x * SCALE * M_LON, {})
    at.cache[key] = i
    return i


at.cache = {}


def street(points, tags):
    refs = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) // 50))
        for k in range(n):
            refs.append(at(x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n))
    refs.append(at(*points[-1]))
    ways.append((nid(), refs, tags))


span = STEP * (len(NS) - 1)
for j, (zh, en, kind) in enumerate(EW):
    street([(0, j * STEP), (span, j * STEP)], {"highway": kind, "name": zh, "name:zh": zh,
                                                "name:en": en})
for i, (zh, en, kind) in enumerate(NS):
    street([(i * STEP, 0), (i * STEP, STEP * (len(EW) - 1))],
           {"highway": kind, "name": zh, "name:zh": zh, "name:en": en})
# an elevated expressway along the south edge: not for pedestrians
street([(-100, -60), (span + 100, -60)], {"highway": "motorway", "name": "延安高架",
                                         "name:en": "Yan'an Elevated Road"})
# a footbridge with steps over 长寿路, and a zebra crossing
street([(400, -30), (400, 0)], {"highway": "steps", "name": "长寿路人行天桥"})
street([(400, -30), (450, -30)], {"highway": "footway"})
street([(550, 0), (550, 30)], {"highway": "footway", "footway": "crossing"})
street([(550, 30), (600, 30)], {"highway": "footway"})
# a private road inside a factory: not walkable
street([(800, 100), (900, 100)], {"highway": "service", "access": "private"})

# two compounds, with paths from their gates
for name, en, (x0, y0) in (("幸福小区", "Xingfu Residential Compound", (160, 10)),
                           ("和谐家园", "Hexie Homes", (460, 310))):
    ring = [(x0, y0), (x0 + 130, y0), (x0 + 130, y0 + 130), (x0, y0 + 130), (x0, y0)]
    refs = [at(x, y) for x, y in ring[:-1]]
    refs.append(refs[0])
    ways.append((nid(), refs, {"landuse": "residential", "name": name, "name:en": en}))
    street([(x0 + 90, y0 - 10), (x0 + 90, y0 + 65), (x0 + 110, y0 + 65)],
           {"highway": "footway", "name": name + "内路"})

# services: (category tags, zh, en, x, y, hours, phone, street, number, description)
S = [
    ({"shop": "convenience"}, "好邻居便利店", "Good Neighbour Convenience", 140, 15, "24/7", "021-6321 0001", "长寿路", "88", ""),
    ({"shop": "convenience"}, "快客便利", "Quick Convenience", 455, 160, "06:00-23:00", "021-6321 0002", "幸福路", "120", ""),
    ({"shop": "supermarket"}, "联华超市", "Lianhua Supermarket", 600, 455, "Mo-Su 07:30-22:00", "021-6321 0003", "民生路", "15", ""),
    ({"shop": "convenience"}, "全家便利店", "FamilyMart", 760, 605, "24/7", "021-6321 0004", "光明街", "6", ""),
    ({"amenity": "marketplace"}, "长寿路菜市场", "Changshou Road Wet Market", 310, 25, "Mo-Su 05:30-13:00,15:30-19:00", "021-6321 0011", "长寿路", "102", "蔬菜、肉禽、水产、豆制品"),
    ({"shop": "greengrocer"}, "老王蔬菜", "Lao Wang Vegetables", 445, 290, "06:00-20:00", "021-6321 0012", "和平街", "33", ""),
    ({"shop": "butcher"}, "放心肉铺", "Trusted Butcher", 155, 445, "06:00-18:00", "021-6321 0013", "民生路", "40", ""),
    ({"shop": "bakery"}, "张记早点", "Zhang's Breakfast", 20, 10, "Mo-Su 05:30-10:30", "021-6321 0021", "长寿路", "2", "豆浆、油条、粢饭团"),
    ({"cuisine": "breakfast", "amenity": "fast_food"}, "阿婆生煎", "Granny's Pan-fried Buns", 290, 155, "06:00-13:00", "021-6321 0022", "幸福路", "18", ""),
    ({"cuisine": "breakfast", "amenity": "fast_food"}, "老北京煎饼", "Beijing Jianbing", 610, 140, "06:30-11:00", "021-6321 0023", "梧桐路", "9", ""),
    ({"shop": "bakery"}, "面包工坊", "Bread Workshop", 735, 310, "07:00-21:00", "021-6321 0024", "和平街", "77", ""),
    ({"craft": "key_cutter"}, "老李配钥匙", "Lao Li Key Cutting", 160, 295, "Mo-Sa 08:00-18:00; Su off", "139 1000 0031", "和平街", "5", "配钥匙、修锁、开锁"),
    ({"shop": "locksmith"}, "安心锁匠", "Anxin Locksmith", 580, 5, "08:00-20:00", "139 1000 0032", "长寿路", "150", ""),
    ({"craft": "key_cutter"}, "快配钥匙亭", "Key Kiosk", 310, 600, "Tu-Su 09:00-17:00", "139 1000 0033", "光明街", "21", ""),
    ({"craft": "shoemaker"}, "王师傅修鞋", "Master Wang Shoe Repair", 440, 10, "08:00-18:00", "139 1000 0041", "长寿路", "130", "修鞋、换拉链、擦鞋"),
    ({"shop": "shoe_repair"}, "修鞋铺", "Shoe Repair Shop", 20, 305, "Mo-Fr 09:00-17:00", "139 1000 0042", "和平街", "1", ""),
    ({"craft": "shoemaker"}, "鞋匠之家", "Cobbler's House", 745, 450, "09:00-19:00", "139 1000 0043", "民生路", "60", ""),
    ({"shop": "bicycle"}, "永久自行车修理", "Yongjiu Bike Repair", 300, 310, "08:00-19:00", "139 1000 0051", "和平街", "20", "补胎、换链条、电动车维修"),
    ({"shop": "bicycle"}, "街角修车铺", "Corner Bike Repair", 5, 160, "07:30-18:30", "139 1000 0052", "银杏路", "12", ""),
    ({"shop": "bicycle"}, "电动车维修", "E-bike Repair", 605, 590, "09:00-20:00", "139 1000 0053", "梧桐路", "44", ""),
    ({"craft": "tailor"}, "巧手改衣", "Clever Hands Tailor", 150, 160, "09:00-18:00", "139 1000 0061", "幸福路", "3", "改裤长、换拉链、织补"),
    ({"craft": "tailor"}, "老裁缝", "The Old Tailor", 455, 455, "Mo-Sa 09:00-17:30", "139 1000 0062", "民生路", "31", ""),
    ({"craft": "tailor"}, "衣服修补", "Clothes Mending", 745, 160, "10:00-18:00", "139 1000 0063", "幸福路", "99", ""),
    ({"craft": "electronics_repair"}, "家电维修部", "Home Appliance Repair", 610, 305, "09:00-18:00", "139 1000 0071", "梧桐路", "30", "电视、冰箱、洗衣机上门维修"),
    ({"craft": "electronics_repair"}, "小家电修理", "Small Appliance Repair", 170, 595, "Mo-Fr 09:00-18:00; Sa 09:00-12:00", "139 1000 0072", "光明街", "10", ""),
    ({"craft": "electronics_repair"}, "空调清洗维修", "Air-conditioner Service", 890, 310, "08:00-20:00", "139 1000 0073", "丁香路", "8", ""),
    ({"shop": "mobile_phone"}, "手机维修", "Phone Repair", 300, 460, "10:00-21:00", "139 1000 0081", "民生路", "22", "换屏、换电池、贴膜"),
    ({"shop": "mobile_phone"}, "电信营业厅", "Telecom Shop", 460, 10, "09:00-21:00", "10000", "长寿路", "140", ""),
    ({"shop": "mobile_phone"}, "快修手机", "Quick Phone Fix", 890, 600, "10:00-20:00", "139 1000 0083", "丁香路", "50", ""),
    ({"amenity": "social_facility"}, "长寿社区食堂", "Changshou Community Canteen", 150, 25, "Mo-Su 10:30-13:00,16:30-18:30", "021-6321 0091", "长寿路", "60", "老年助餐点，65岁以上优惠"),
    ({"amenity": "canteen"}, "邻里食堂", "Neighbourhood Canteen", 605, 455, "11:00-13:30,17:00-19:30", "021-6321 0092", "民生路", "70", ""),
    ({"amenity": "social_facility"}, "幸福助餐点", "Xingfu Meal Point", 210, 140, "10:30-12:30", "021-6321 0093", "幸福路", "8", "社区助餐服务"),
    ({"amenity": "social_facility", "social_facility:for": "senior"}, "长者照护之家", "Senior Care Home", 440, 600, "24/7", "021-6321 0101", "光明街", "35", "日间照料、短期托养"),
    ({"amenity": "social_facility", "social_facility:for": "senior"}, "日间照料中心", "Day Care Centre", 750, 20, "Mo-Fr 08:00-17:00", "021-6321 0102", "长寿路", "200", ""),
    ({"amenity": "nursing_home"}, "颐养院", "Yiyang Nursing Home", 890, 455, "24/7", "021-6321 0103", "丁香路", "33", ""),
    ({"amenity": "kindergarten"}, "阳光幼儿园", "Sunshine Kindergarten", 750, 590, "Mo-Fr 07:30-17:00", "021-6321 0111", "光明街", "88", ""),
    ({"amenity": "childcare"}, "宝贝托育中心", "Baby Childcare Centre", 305, 145, "Mo-Fr 08:00-18:00", "021-6321 0112", "幸福路", "25", "2至3岁托班"),
    ({"amenity": "childcare"}, "社区托育点", "Community Childcare", 590, 160, "Mo-Fr 08:30-17:30", "021-6321 0113", "幸福路", "75", ""),
    ({"craft": "cleaning"}, "好帮手家政", "Helping Hand Housekeeping", 450, 145, "08:00-20:00", "139 1000 0121", "幸福路", "60", "保洁、保姆、月嫂"),
    ({"craft": "cleaning"}, "阿姨到家", "Auntie at Home", 160, 455, "09:00-18:00", "139 1000 0122", "民生路", "12", ""),
    ({"craft": "cleaning"}, "家电清洗保洁", "Appliance Cleaning", 895, 150, "08:00-18:00", "139 1000 0123", "丁香路", "15", ""),
    ({"shop": "laundry"}, "洁净洗衣店", "Clean Laundry", 310, 290, "08:00-21:00", "021-6321 0131", "和平街", "26", "干洗、水洗、熨烫"),
    ({"shop": "dry_cleaning"}, "福奈特干洗", "Fornet Dry Cleaning", 745, 5, "09:00-21:00", "021-6321 0132", "长寿路", "190", ""),
    ({"shop": "laundry"}, "自助洗衣房", "Self-service Laundry", 440, 605, "24/7", "021-6321 0133", "光明街", "40", ""),
    ({"amenity": "pharmacy"}, "老百姓大药房", "Laobaixing Pharmacy", 295, 5, "08:00-22:00", "021-6321 0141", "长寿路", "110", "医保定点"),
    ({"amenity": "pharmacy"}, "益丰大药房", "Yifeng Pharmacy", 600, 300, "24/7", "021-6321 0142", "和平街", "50", ""),
    ({"amenity": "pharmacy"}, "社区卫生服务站药房", "Community Health Station Pharmacy", 5, 450, "Mo-Fr 08:00-16:30", "021-6321 0143", "民生路", "2", ""),
    ({"amenity": "post_office"}, "长寿路邮政所", "Changshou Road Post Office", 585, 20, "Mo-Sa 08:30-17:00", "11185", "长寿路", "160", ""),
    ({"shop": "courier"}, "菜鸟驿站", "Cainiao Station", 225, 155, "08:00-21:00", "021-6321 0152", "幸福路", "12", "快递代收代寄"),
    ({"amenity": "parcel_locker"}, "丰巢快递柜", "Hive Box Parcel Locker", 455, 300, "24/7", "95538", "和平街", "40", ""),
    ({"leisure": "fitness_centre"}, "全民健身中心", "Fitness Centre", 890, 20, "06:00-22:00", "021-6321 0161", "长寿路", "220", ""),
    ({"amenity": "library"}, "社区图书室", "Community Library", 590, 610, "Tu-Su 09:00-17:00", "021-6321 0162", "光明街", "60", ""),
    ({"amenity": "community_centre"}, "文化活动中心", "Culture Centre", 160, 610, "08:30-20:30", "021-6321 0163", "光明街", "12", "书法、合唱、棋牌"),
    ({"amenity": "bank"}, "工商银行", "ICBC", 445, 20, "Mo-Fr 09:00-17:00; Sa,Su 09:00-16:00", "95588", "长寿路", "128", ""),
    ({"amenity": "bank"}, "农商银行", "Rural Commercial Bank", 750, 445, "Mo-Fr 09:00-17:00", "962999", "民生路", "90", ""),
    ({"amenity": "bank"}, "邮储银行", "Postal Savings Bank", 590, 5, "Mo-Sa 08:30-17:00", "95580", "长寿路", "158", ""),
    ({"shop": "convenience"}, "夜猫子小卖部", "Night Owl Corner Shop", 885, 445, "Mo-Su 18:00-02:00", "021-6321 0005", "丁香路", "31", ""),
    ({"amenity": "marketplace"}, "早市", "Morning Market", 600, 160, "05:00-09:00", "", "幸福路", "", "每天早上的露天菜市"),
    ({"craft": "shoemaker"}, "擦鞋修鞋", "Shoe Shine and Repair", 305, 440, "PH off; 09:00-17:00", "139 1000 0044", "民生路", "20", "营业时间以店内为准"),
    ({"shop": "convenience"}, "无名小店", "", 740, 305, "08:00-20:00", "", "", "", ""),
    # the categories added later (餐饮, 美容美发, 修表, 五金, 眼镜, 照相打印), after the first
    # ones so every earlier place keeps its id
    ({"amenity": "restaurant"}, "家常菜馆", "Home Cooking", 520, 150, "10:30-21:00", "021-6321 0171", "幸福路", "52", "本帮菜、盖浇饭"),
    ({"amenity": "fast_food"}, "兰州拉面", "Lanzhou Noodles", 360, 300, "08:00-22:00", "021-6321 0172", "和平街", "30", ""),
    ({"shop": "hairdresser"}, "老街理发", "Old Street Barber", 820, 455, "08:00-20:00", "139 1000 0181", "民生路", "72", "理发、剃须，老人优惠"),
    ({"shop": "beauty"}, "丽人美容", "Liren Beauty", 230, 600, "10:00-21:00", "139 1000 0182", "光明街", "16", ""),
    ({"craft": "watchmaker"}, "钟表修理", "Watch and Clock Repair", 370, 10, "Mo-Sa 09:00-18:00", "139 1000 0191", "长寿路", "120", "换电池、修表带、钟表维修"),
    ({"craft": "watchmaker"}, "老师傅修表", "Master's Watch Repair", 680, 455, "09:00-17:00", "139 1000 0192", "民生路", "80", ""),
    ({"shop": "hardware"}, "五金店", "Hardware Store", 520, 300, "08:00-19:00", "021-6321 0201", "和平街", "45", "水管、电线、工具"),
    ({"shop": "doityourself"}, "建材五金", "Building Supplies", 820, 150, "08:00-18:00", "021-6321 0202", "幸福路", "91", ""),
    ({"shop": "optician"}, "明亮眼镜", "Bright Eyes Optician", 370, 455, "09:00-21:00", "021-6321 0211", "民生路", "28", "验光配镜、老花镜"),
    ({"shop": "optician"}, "宝岛眼镜", "Baodao Optical", 680, 10, "10:00-21:00", "021-6321 0212", "长寿路", "170", ""),
    ({"shop": "copyshop"}, "图文打印", "Print and Copy", 230, 300, "08:30-20:00", "021-6321 0221", "和平街", "12", "复印、打印、证件照"),
    ({"shop": "photo"}, "时光照相馆", "Time Photo Studio", 520, 600, "09:00-19:00", "021-6321 0222", "光明街", "48", ""),
]

for tags, zh, en, x, y, hours, phone, street_name, number, desc in S:
    i = nid()
    t = dict(tags)
    t["name"] = zh
    t["name:zh"] = zh
    if en:
        t["name:en"] = en
    if hours:
        t["opening_hours"] = hours
    if phone:
        t["phone"] = phone
    if street_name:
        t["addr:street"] = street_name
    if number:
        t["addr:housenumber"] = number
    if desc:
        t["description"] = desc
    nodes[i] = (LAT0 + y * SCALE * M_LAT, LON0 + x * SCALE * M_LON, t)
# a place of a kind we do not list, and one we list without a name
nodes[nid()] = (LAT0 + 15 * M_LAT, LON0 + 525 * M_LON, {"amenity": "bar", "name": "小酒馆"})
nodes[nid()] = (LAT0 + 225 * M_LAT, LON0 + 671 * M_LON, {"shop": "bicycle"})

# Where people live, after everything else so the streets and places keep their ids:
# 幸福小区's blocks of flats, rows of houses in the other blocks (so the coverage report
# counts homes, not street nodes), and 和谐家园 left as residential land only (sampled).
def building(x0, y0, w, h, kind):
    ring = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]
    refs = [at(x, y) for x, y in ring]
    refs.append(refs[0])
    ways.append((nid(), refs, {"building": kind}))


for k in range(6):
    building(175 + (k % 2) * 60, 25 + (k // 2) * 40, 40, 14, "apartments")
for bx, by in ((0, 450), (750, 450), (300, 150), (600, 0), (0, 150), (750, 150)):
    for k in range(4):
        building(bx + 25 + (k % 2) * 60, by + 30 + (k // 2) * 55, 30, 12, "residential")
building(820, 530, 12, 10, "house")
building(840, 560, 12, 10, "house")

# the demo kiosk stands at 幸福小区's gate on 长寿路
print("kiosk at %.6f,%.6f" % (LAT0, LON0 + 250 * SCALE * M_LON))
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    # Not OpenStreetMap's data: the map screen credits what the file states, so a
    # resident is not told a made-up street is on OSM.
    out.write('<osm version="0.6" generator="tools/gen_demo_map.py"'
              ' copyright="虚构示例街区 · Fictional demo">\n')
    out.write(' <!-- A fictional neighbourhood for the demo: not a real place. -->\n')
    lats = [v[0] for v in nodes.values()]
    lons = [v[1] for v in nodes.values()]
    out.write(' <bounds minlat="%.7f" minlon="%.7f" maxlat="%.7f" maxlon="%.7f"/>\n'
              % (min(lats), min(lons), max(lats), max(lons)))
    for i in sorted(nodes):
        lat, lon, tags = nodes[i]
        if tags:
            out.write(' <node id="%d" lat="%.7f" lon="%.7f">\n' % (i, lat, lon))
            for k, v in tags.items():
                out.write('  <tag k=%s v=%s/>\n' % (quoteattr(k), quoteattr(v)))
            out.write(' </node>\n')
        else:
            out.write(' <node id="%d" lat="%.7f" lon="%.7f"/>\n' % (i, lat, lon))
    for i, refs, tags in ways:
        out.write(' <way id="%d">\n' % i)
        for r in refs:
            out.write('  <nd ref="%d"/>\n' % r)
        for k, v in tags.items():
            out.write('  <tag k=%s v=%s/>\n' % (quoteattr(k), quoteattr(v)))
        out.write(' </way>\n')
    out.write('</osm>\n')
