"""A synthetic support corpus, and the two ways the benchmark loads it.

``python -m bench.corpus generate --docs 10000 --out corpus.jsonl`` writes JSON lines in the
format ``manage.py import_content`` reads (README "Importing content"): products in five
languages, then articles and forum threads with replies, solved and unsolved, built from fixed
word lists of support language (products, parts, symptoms, error codes, fixes) with a fixed
seed, so the same ``--docs`` and ``--seed`` always give the same file.

Loading: ``import_content`` (``core.importing``) is the path users take and what the benchmark
measures; it publishes a Wagtail page revision per article and saves machina posts one by one,
about 0.1 CPU-second per line, so a large corpus is loaded mostly by ``bulk_load`` (clearly
labelled in the results: same rows, no revisions or signals) with a share of it imported.
"""

import argparse
import json
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

DEFAULT_SEED = 20261123

# Product families, the products in each, and the forum their customers ask in.
# (key, family, kind, short name, English name, weight): the weight skews how many articles and
# threads each product gets, so some products have many articles and some very few.
PRODUCTS = [
    ("p200", "printer", "printer", "InkWell P200", "InkWell P200 Home Printer", 30),
    ("p750", "printer", "printer", "InkWell Pro 750", "InkWell Pro 750 Office Printer", 10),
    ("ax3000", "router", "router", "SkyLink AX3000", "SkyLink AX3000 Wi-Fi Router", 22),
    ("m5", "router", "mesh", "SkyLink Mesh M5", "SkyLink Mesh M5 System", 7),
    ("ledgerlite", "accounting", "software", "LedgerLite", "LedgerLite Accounting", 18),
    ("payroll", "accounting", "payroll", "LedgerLite Payroll", "LedgerLite Payroll Add-on", 5),
    ("echobuds", "audio", "earbuds", "EchoBuds Pro", "EchoBuds Pro Wireless Earbuds", 9),
    ("echobar", "audio", "soundbar", "EchoBar 300", "EchoBar 300 Soundbar", 4),
    ("thermo", "smarthome", "thermostat", "ThermoSense T2", "ThermoSense T2 Smart Thermostat", 6),
    ("cam", "smarthome", "doorbell", "BrightCam D1", "BrightCam D1 Video Doorbell", 3),
    ("nimbus", "laptop", "laptop", "Nimbus 14", "Nimbus 14 Laptop", 12),
    ("lens", "camera", "camera", "Lumen X2", "Lumen X2 Action Camera", 1),
]

FORUMS = {
    "printer": "InkWell printers",
    "router": "SkyLink routers",
    "accounting": "LedgerLite accounting",
    "audio": "EchoBuds & EchoBar audio",
    "smarthome": "Smart home",
    "laptop": "Nimbus laptops",
    "camera": "Cameras",
}
GENERAL_FORUMS = ["General", "Warranty & repairs"]
FORUM_CATEGORY = "Community"

LOCALE_WEIGHTS = {"en": 60, "fa": 10, "hi": 12, "ka": 8, "tl": 10}

# The noun for each kind of product, and how a product's local name is built from it.
KIND_NOUNS = {
    "en": {
        "printer": "printer",
        "router": "router",
        "mesh": "mesh system",
        "software": "accounting software",
        "payroll": "payroll software",
        "earbuds": "earbuds",
        "soundbar": "soundbar",
        "thermostat": "thermostat",
        "doorbell": "video doorbell",
        "laptop": "laptop",
        "camera": "action camera",
    },
    "fa": {
        "printer": "چاپگر",
        "router": "روتر",
        "mesh": "سیستم مش",
        "software": "نرم‌افزار حسابداری",
        "payroll": "نرم‌افزار حقوق و دستمزد",
        "earbuds": "هدفون بی‌سیم",
        "soundbar": "ساندبار",
        "thermostat": "ترموستات هوشمند",
        "doorbell": "زنگ در تصویری",
        "laptop": "لپ‌تاپ",
        "camera": "دوربین ورزشی",
    },
    "hi": {
        "printer": "प्रिंटर",
        "router": "राउटर",
        "mesh": "मेश सिस्टम",
        "software": "अकाउंटिंग सॉफ़्टवेयर",
        "payroll": "पेरोल सॉफ़्टवेयर",
        "earbuds": "ईयरबड्स",
        "soundbar": "साउंडबार",
        "thermostat": "स्मार्ट थर्मोस्टेट",
        "doorbell": "वीडियो डोरबेल",
        "laptop": "लैपटॉप",
        "camera": "एक्शन कैमरा",
    },
    "ka": {
        "printer": "პრინტერი",
        "router": "როუტერი",
        "mesh": "Mesh სისტემა",
        "software": "საბუღალტრო პროგრამა",
        "payroll": "ხელფასების პროგრამა",
        "earbuds": "უსადენო ყურსასმენები",
        "soundbar": "საუნდბარი",
        "thermostat": "ჭკვიანი თერმოსტატი",
        "doorbell": "ვიდეოზარი",
        "laptop": "ლეპტოპი",
        "camera": "სამოქმედო კამერა",
    },
    "tl": {
        "printer": "printer",
        "router": "router",
        "mesh": "mesh system",
        "software": "accounting software",
        "payroll": "payroll software",
        "earbuds": "wireless earbuds",
        "soundbar": "soundbar",
        "thermostat": "smart thermostat",
        "doorbell": "video doorbell",
        "laptop": "laptop",
        "camera": "action camera",
    },
}
# "{noun}" and "{short}" make the product's page title in that language.
PRODUCT_NAME = {
    "en": None,  # English uses the catalogue name
    "fa": "{noun} {short}",
    "hi": "{short} {noun}",
    "ka": "{noun} {short}",
    "tl": "{short} {noun}",
}
PRODUCT_SUMMARY = {
    "en": "The {short} {noun}: setup guides, troubleshooting and answers from other owners.",
    "fa": "راهنمای راه‌اندازی، عیب‌یابی و پاسخ کاربران دیگر برای {noun} {short}.",
    "hi": "{short} {noun} के लिए सेटअप गाइड, समस्या समाधान और दूसरे ग्राहकों के जवाब।",
    "ka": "{short}: გამართვის ინსტრუქციები, პრობლემების მოგვარება და სხვა მომხმარებლების პასუხები.",
    "tl": "Mga gabay sa pag-set up, pag-troubleshoot at sagot mula sa ibang may-ari ng {short}.",
}
WARRANTY_SUMMARY = {
    "en": "2-year limited warranty covering defects in materials and workmanship.",
    "fa": "گارانتی محدود دو ساله برای عیوب مواد و ساخت.",
    "hi": "सामग्री और बनावट की खराबियों पर 2 साल की सीमित वारंटी।",
    "ka": "2-წლიანი შეზღუდული გარანტია მასალისა და დამზადების დეფექტებზე.",
    "tl": "2 taong limitadong warranty para sa mga depekto sa materyales at pagkakagawa.",
}

COMPONENTS = {
    "en": {
        "printer": [
            "paper tray",
            "rear access door",
            "printhead",
            "ink cartridge",
            "scanner glass",
            "output tray",
            "paper feed roller",
            "control panel",
            "duplex unit",
            "carriage",
        ],
        "router": [
            "WAN port",
            "2.4 GHz band",
            "5 GHz band",
            "mesh satellite",
            "power adapter",
            "admin page",
            "guest network",
            "DHCP server",
            "LAN port",
            "parental controls",
        ],
        "accounting": [
            "bank feed",
            "invoice template",
            "VAT report",
            "chart of accounts",
            "payroll run",
            "cloud sync",
            "licence key",
            "backup file",
            "expense rule",
            "tax rate",
        ],
        "audio": [
            "charging case",
            "left earbud",
            "right earbud",
            "Bluetooth pairing",
            "noise cancelling",
            "HDMI ARC input",
            "subwoofer",
            "touch controls",
            "microphone",
            "battery",
        ],
        "smarthome": [
            "thermostat display",
            "C-wire",
            "heating schedule",
            "motion sensor",
            "night vision",
            "indoor chime",
            "doorbell battery",
            "mobile app",
            "temperature sensor",
            "Wi-Fi module",
        ],
        "laptop": [
            "battery",
            "keyboard",
            "trackpad",
            "USB-C port",
            "display",
            "cooling fan",
            "BIOS",
            "webcam",
            "charger",
            "SSD",
        ],
        "camera": ["lens", "memory card", "battery", "waterproof case", "image stabiliser"],
    },
    "fa": {
        "printer": ["سینی کاغذ", "درِ پشتی", "هد چاپ", "کارتریج جوهر", "شیشه اسکنر", "غلتک کاغذ"],
        "router": ["پورت WAN", "باند ۵ گیگاهرتز", "شبکه مهمان", "آداپتور برق", "صفحه مدیریت"],
        "accounting": [
            "فید بانکی",
            "قالب فاکتور",
            "گزارش مالیات",
            "همگام‌سازی ابری",
            "فایل پشتیبان",
        ],
        "audio": ["کیس شارژ", "گوشی چپ", "بلوتوث", "حذف نویز", "میکروفون", "باتری"],
        "smarthome": ["نمایشگر ترموستات", "برنامه گرمایش", "حسگر حرکت", "دید در شب", "باتری زنگ"],
        "laptop": ["باتری", "صفحه‌کلید", "تاچ‌پد", "پورت USB-C", "نمایشگر", "فن", "شارژر"],
        "camera": ["لنز", "کارت حافظه", "باتری", "قاب ضدآب"],
    },
    "hi": {
        "printer": ["पेपर ट्रे", "पिछला दरवाज़ा", "प्रिंटहेड", "इंक कार्ट्रिज", "स्कैनर ग्लास", "पेपर रोलर"],
        "router": ["WAN पोर्ट", "5 GHz बैंड", "गेस्ट नेटवर्क", "पावर एडाप्टर", "एडमिन पेज", "LAN पोर्ट"],
        "accounting": ["बैंक फ़ीड", "इनवॉइस टेम्पलेट", "VAT रिपोर्ट", "क्लाउड सिंक", "बैकअप फ़ाइल"],
        "audio": ["चार्जिंग केस", "बायाँ ईयरबड", "ब्लूटूथ", "नॉइज़ कैंसलिंग", "माइक्रोफ़ोन", "बैटरी"],
        "smarthome": ["थर्मोस्टेट डिस्प्ले", "हीटिंग शेड्यूल", "मोशन सेंसर", "नाइट विज़न", "डोरबेल बैटरी"],
        "laptop": ["बैटरी", "कीबोर्ड", "टचपैड", "USB-C पोर्ट", "डिस्प्ले", "पंखा", "चार्जर"],
        "camera": ["लेंस", "मेमोरी कार्ड", "बैटरी", "वॉटरप्रूफ़ केस"],
    },
    "ka": {
        "printer": [
            "ქაღალდის უჯრა",
            "უკანა სახურავი",
            "საბეჭდი თავაკი",
            "მელნის კარტრიჯი",
            "სკანერის მინა",
        ],
        "router": ["WAN პორტი", "5 GHz დიაპაზონი", "სტუმრის ქსელი", "კვების ადაპტერი", "LAN პორტი"],
        "accounting": [
            "საბანკო ამონაწერი",
            "ინვოისის შაბლონი",
            "დღგ-ს დეკლარაცია",
            "ღრუბლოვანი სინქრონიზაცია",
            "სარეზერვო ფაილი",
        ],
        "audio": ["დამტენი ქეისი", "მარცხენა ყურსასმენი", "Bluetooth", "მიკროფონი", "ბატარეა"],
        "smarthome": ["თერმოსტატის ეკრანი", "გათბობის განრიგი", "მოძრაობის სენსორი", "ღამის ხედვა"],
        "laptop": ["ბატარეა", "კლავიატურა", "სენსორული პანელი", "USB-C პორტი", "ეკრანი", "დამტენი"],
        "camera": ["ობიექტივი", "მეხსიერების ბარათი", "ბატარეა", "წყალგაუმტარი ყუთი"],
    },
    "tl": {
        "printer": [
            "paper tray",
            "takip sa likod",
            "printhead",
            "ink cartridge",
            "roller ng papel",
        ],
        "router": ["WAN port", "5 GHz band", "guest network", "power adapter", "admin page"],
        "accounting": [
            "bank feed",
            "template ng invoice",
            "ulat ng VAT",
            "cloud sync",
            "backup file",
        ],
        "audio": ["charging case", "kaliwang earbud", "Bluetooth", "mikropono", "baterya"],
        "smarthome": [
            "display ng thermostat",
            "iskedyul ng heating",
            "motion sensor",
            "night vision",
        ],
        "laptop": ["baterya", "keyboard", "trackpad", "USB-C port", "screen", "charger"],
        "camera": ["lente", "memory card", "baterya", "waterproof case"],
    },
}

# Symptoms read as a predicate after the product: "<InkWell P200> prints blank pages".
SYMPTOMS = {
    "en": {
        "printer": [
            "shows a paper jam but there is no paper inside",
            "prints blank pages",
            "leaves streaks on every page",
            "won't connect to Wi-Fi",
            "shows as offline",
            "doesn't recognise the new cartridge",
            "prints very slowly",
            "makes a grinding noise",
            "prints faded colours",
            "pulls in several sheets at once",
        ],
        "router": [
            "keeps dropping the Wi-Fi",
            "has no internet after a power cut",
            "is much slower than my plan",
            "shows an amber light",
            "won't open the admin page",
            "is invisible to some devices",
            "loses the mesh satellite",
            "ignores my port forwarding rules",
            "reboots by itself every night",
            "lets guests see my printer",
        ],
        "accounting": [
            "stopped updating the bank feed",
            "calculates wrong invoice totals",
            "fails to sync with the cloud",
            "doesn't accept my licence",
            "shows duplicate transactions in reports",
            "crashes on start",
            "won't let me sign in after the update",
            "puts the wrong tax on payslips",
            "produces a VAT return that doesn't balance",
            "won't restore my backup",
        ],
        "audio": [
            "plays sound in one earbud only",
            "won't pair with my phone",
            "cuts out every few seconds",
            "doesn't charge in the case",
            "makes callers hear an echo",
            "has no sound through HDMI ARC",
            "won't connect to the subwoofer",
            "drains the battery in an hour",
            "ignores the touch controls",
            "is out of sync with the TV picture",
        ],
        "smarthome": [
            "shows the wrong temperature",
            "won't turn the heating off",
            "keeps going offline",
            "sends no motion notifications",
            "records blurry video at night",
            "doesn't ring the indoor chime",
            "drains its battery in a week",
            "forgets the schedule after a power cut",
            "says device unavailable in the app",
            "takes ages to load the live view",
        ],
        "laptop": [
            "won't turn on",
            "isn't charging the battery",
            "overheats and shuts down",
            "has keyboard keys that stopped working",
            "has a flickering screen",
            "crashes with a blue screen",
            "runs the fan very loud",
            "doesn't detect the webcam",
            "ignores the trackpad",
            "is very slow after the update",
        ],
        "camera": [
            "stops recording after a minute",
            "says the memory card is full",
            "fogs up under water",
            "won't connect to the app",
        ],
    },
    "fa": {
        "printer": [
            "کاغذ گیر می‌کند",
            "صفحه سفید چاپ می‌کند",
            "روی کاغذ خط می‌اندازد",
            "به وای‌فای وصل نمی‌شود",
            "آفلاین نشان می‌دهد",
            "کارتریج جدید را نمی‌شناسد",
        ],
        "router": [
            "اینترنت را مدام قطع و وصل می‌کند",
            "بعد از قطعی برق اینترنت ندارد",
            "سرعت خیلی پایینی دارد",
            "چراغ نارنجی نشان می‌دهد",
            "صفحه مدیریت را باز نمی‌کند",
            "هر شب خودبه‌خود ریستارت می‌شود",
        ],
        "accounting": [
            "فید بانکی را به‌روز نمی‌کند",
            "جمع فاکتور را اشتباه حساب می‌کند",
            "همگام‌سازی ابری را انجام نمی‌دهد",
            "مجوز را نمی‌شناسد",
            "تراکنش‌های تکراری نشان می‌دهد",
        ],
        "audio": [
            "فقط از یک طرف صدا دارد",
            "به گوشی وصل نمی‌شود",
            "صدا را مدام قطع می‌کند",
            "در کیس شارژ نمی‌شود",
            "باتری را زود تمام می‌کند",
        ],
        "smarthome": [
            "دمای اشتباه نشان می‌دهد",
            "گرمایش را خاموش نمی‌کند",
            "مدام آفلاین می‌شود",
            "اعلان حرکت نمی‌فرستد",
            "در شب تصویر تار ضبط می‌کند",
        ],
        "laptop": [
            "روشن نمی‌شود",
            "باتری را شارژ نمی‌کند",
            "داغ می‌کند و خاموش می‌شود",
            "صفحه‌اش چشمک می‌زند",
            "فن پرسروصدایی دارد",
        ],
        "camera": ["بعد از یک دقیقه ضبط را متوقف می‌کند", "کارت حافظه را نمی‌شناسد"],
    },
    "hi": {
        "printer": [
            "में पेपर जाम हो जाता है",
            "खाली पन्ने प्रिंट करता है",
            "हर पन्ने पर लकीरें छोड़ता है",
            "वाई-फ़ाई से कनेक्ट नहीं होता",
            "ऑफ़लाइन दिखता है",
            "नया कार्ट्रिज नहीं पहचानता",
        ],
        "router": [
            "पर इंटरनेट बार-बार कट जाता है",
            "पर बिजली जाने के बाद इंटरनेट नहीं चलता",
            "की स्पीड बहुत धीमी है",
            "पर नारंगी लाइट जल रही है",
            "का एडमिन पेज नहीं खुलता",
            "हर रात अपने आप रीस्टार्ट होता है",
        ],
        "accounting": [
            "में बैंक फ़ीड अपडेट नहीं हो रही",
            "में इनवॉइस का टोटल गलत आता है",
            "में क्लाउड सिंक फ़ेल हो जाता है",
            "लाइसेंस नहीं पहचानता",
            "की रिपोर्ट में डुप्लिकेट ट्रांज़ैक्शन दिखते हैं",
        ],
        "audio": [
            "के एक ईयरबड में आवाज़ नहीं आती",
            "फ़ोन से पेयर नहीं होता",
            "की आवाज़ बार-बार कटती है",
            "केस में चार्ज नहीं होता",
            "की बैटरी जल्दी खत्म हो जाती है",
        ],
        "smarthome": [
            "गलत तापमान दिखाता है",
            "हीटिंग बंद नहीं करता",
            "बार-बार ऑफ़लाइन हो जाता है",
            "मोशन नोटिफ़िकेशन नहीं भेजता",
            "का रात का वीडियो धुंधला है",
        ],
        "laptop": [
            "चालू नहीं होता",
            "की बैटरी चार्ज नहीं होती",
            "बहुत गर्म होकर बंद हो जाता है",
            "की स्क्रीन झिलमिलाती है",
            "के पंखे की आवाज़ बहुत तेज़ है",
        ],
        "camera": ["एक मिनट बाद रिकॉर्डिंग बंद कर देता है", "मेमोरी कार्ड नहीं पहचानता"],
    },
    "ka": {
        "printer": [
            "ქაღალდს ჭედავს",
            "ცარიელ ფურცლებს ბეჭდავს",
            "ფურცელზე ზოლებს ტოვებს",
            "Wi-Fi-ს არ უკავშირდება",
            "ოფლაინ რეჟიმში ჩანს",
            "ახალ კარტრიჯს ვერ ცნობს",
        ],
        "router": [
            "ინტერნეტს ხშირად თიშავს",
            "დენის გათიშვის შემდეგ ინტერნეტს ვერ აწვდის",
            "ძალიან დაბალ სიჩქარეს იძლევა",
            "ნარინჯისფერ ინდიკატორს აჩვენებს",
            "ყოველ ღამე თავისით გადაიტვირთება",
        ],
        "accounting": [
            "საბანკო ამონაწერს აღარ აახლებს",
            "ინვოისის ჯამს არასწორად ითვლის",
            "ღრუბელთან ვერ სინქრონიზდება",
            "ლიცენზიას ვერ ცნობს",
            "ანგარიშში ტრანზაქციებს აორმაგებს",
        ],
        "audio": [
            "მხოლოდ ერთ ყურში უკრავს",
            "ტელეფონს არ უკავშირდება",
            "ხმას ყოველ რამდენიმე წამში წყვეტს",
            "ქეისში არ იტენება",
            "ბატარეას სწრაფად ხარჯავს",
        ],
        "smarthome": [
            "არასწორ ტემპერატურას აჩვენებს",
            "გათბობას არ თიშავს",
            "ხშირად ოფლაინ გადადის",
            "მოძრაობის შეტყობინებებს არ აგზავნის",
        ],
        "laptop": [
            "არ ირთვება",
            "ბატარეას არ ტენის",
            "ხურდება და ითიშება",
            "ეკრანი ციმციმებს",
            "ვენტილატორი ძალიან ხმაურობს",
        ],
        "camera": ["ერთ წუთში წყვეტს ჩაწერას", "მეხსიერების ბარათს ვერ ცნობს"],
    },
    "tl": {
        "printer": [
            "ay laging naiipitan ng papel",
            "ay blangko ang inilalabas",
            "ay may guhit sa bawat pahina",
            "ay ayaw kumonekta sa Wi-Fi",
            "ay laging offline",
            "ay hindi mabasa ang bagong cartridge",
        ],
        "router": [
            "ay paulit-ulit na nawawalan ng Wi-Fi",
            "ay walang internet pagkatapos ng brownout",
            "ay sobrang bagal",
            "ay kulay orange ang ilaw",
            "ay kusang nagre-restart gabi-gabi",
        ],
        "accounting": [
            "ay hindi na nag-a-update ng bank feed",
            "ay mali ang total ng invoice",
            "ay pumapalya sa cloud sync",
            "ay hindi nakikilala ang lisensya",
            "ay may dobleng transaksyon sa ulat",
        ],
        "audio": [
            "ay walang tunog sa isang earbud",
            "ay ayaw mag-pair sa phone",
            "ay putol-putol ang tunog",
            "ay hindi nagcha-charge sa case",
            "ay mabilis maubos ang baterya",
        ],
        "smarthome": [
            "ay mali ang temperaturang ipinapakita",
            "ay ayaw patayin ang heating",
            "ay laging nag-o-offline",
            "ay walang ipinapadalang motion notification",
        ],
        "laptop": [
            "ay ayaw bumukas",
            "ay hindi nagcha-charge",
            "ay sobrang init at namamatay",
            "ay kumikislap ang screen",
            "ay sobrang ingay ng bentilador",
        ],
        "camera": ["ay humihinto sa pag-record pagkalipas ng isang minuto"],
    },
}

# Fixes, as imperatives ("restart the router").
ACTIONS = {
    "en": {
        "printer": [
            "clean the printhead",
            "align the printhead",
            "restart the printer",
            "update the printer firmware",
            "reinstall the printer driver",
            "reset the network settings",
            "replace the ink cartridge",
            "clear the print queue",
            "check the rear access door for torn paper",
        ],
        "router": [
            "restart the router",
            "factory reset the router",
            "change the Wi-Fi channel",
            "update the router firmware",
            "move the router away from the microwave",
            "set a static IP address",
            "re-pair the mesh satellite",
            "turn off band steering",
            "replace the Ethernet cable",
        ],
        "accounting": [
            "reconnect the bank feed",
            "run the reconciliation again",
            "restore yesterday's backup",
            "reactivate the licence",
            "clear the local cache",
            "update to the latest version",
            "export the report as CSV",
            "check the tax rate settings",
        ],
        "audio": [
            "reset the earbuds",
            "forget the device and pair it again",
            "clean the charging contacts",
            "update the firmware in the app",
            "switch the TV audio output to HDMI ARC",
            "re-pair the subwoofer",
            "turn off multipoint",
        ],
        "smarthome": [
            "recalibrate the temperature sensor",
            "check the thermostat wiring",
            "reconnect the device to Wi-Fi",
            "update the firmware",
            "adjust the motion zones",
            "replace the battery",
            "move the hub closer",
        ],
        "laptop": [
            "do a hard reset",
            "update the BIOS",
            "run the hardware diagnostics",
            "reinstall the drivers",
            "reset the power settings",
            "try another USB-C charger",
            "roll back the last update",
        ],
        "camera": ["format the memory card", "update the camera firmware", "dry the case seals"],
    },
    "fa": [
        "دستگاه را خاموش و روشن کنید",
        "فرم‌ور را به‌روزرسانی کنید",
        "تنظیمات کارخانه را بازنشانی کنید",
        "کابل‌ها را بررسی کنید",
        "برنامه را دوباره نصب کنید",
        "دوباره به وای‌فای وصل شوید",
        "حافظه پنهان را پاک کنید",
        "با پشتیبانی تماس بگیرید",
    ],
    "hi": [
        "डिवाइस को बंद करके फिर चालू करें",
        "फ़र्मवेयर अपडेट करें",
        "फ़ैक्टरी रीसेट करें",
        "केबल जाँचें",
        "ऐप दोबारा इंस्टॉल करें",
        "वाई-फ़ाई से दोबारा कनेक्ट करें",
        "कैश साफ़ करें",
        "सपोर्ट से संपर्क करें",
    ],
    "ka": [
        "გამორთეთ და ხელახლა ჩართეთ მოწყობილობა",
        "განაახლეთ პროგრამული უზრუნველყოფა",
        "დააბრუნეთ ქარხნული პარამეტრები",
        "შეამოწმეთ კაბელები",
        "ხელახლა დააინსტალირეთ აპლიკაცია",
        "ხელახლა დაუკავშირდით Wi-Fi-ს",
        "გაასუფთავეთ ქეში",
        "დაუკავშირდით მხარდაჭერას",
    ],
    "tl": [
        "patayin at buksan muli ang device",
        "i-update ang firmware",
        "i-factory reset ito",
        "tingnan ang mga kable",
        "i-install muli ang app",
        "kumonekta muli sa Wi-Fi",
        "i-clear ang cache",
        "makipag-ugnayan sa support",
    ],
}

ERROR_CODES = {
    "printer": ["E-03", "E-05", "E-11", "E-21", "0x61"],
    "router": ["PPPoE 691", "ERR-WAN-02", "DHCP-17", "DNS_PROBE_FINISHED_NO_INTERNET"],
    "accounting": ["SYNC-409", "LIC-001", "BF-403", "0x80070005"],
    "audio": ["BT-2A", "ARC-04", "CHG-3"],
    "smarthome": ["E74", "RH-00", "CAM-OFFLINE", "E42"],
    "laptop": ["0xc000021a", "BAT-601", "CRITICAL_PROCESS_DIED", "NO-BOOT-1"],
    "camera": ["SD-ERR", "REC-12"],
}

EVENTS = {
    "en": [
        "the last firmware update",
        "a power cut",
        "moving house",
        "changing my internet provider",
        "replacing the cartridge",
        "the Windows update",
        "resetting my phone",
        "a week of normal use",
    ],
    "fa": ["به‌روزرسانی آخر", "قطعی برق", "تعویض کارتریج", "اسباب‌کشی"],
    "hi": ["पिछले अपडेट", "बिजली जाने", "कार्ट्रिज बदलने", "घर बदलने"],
    "ka": ["ბოლო განახლების", "დენის გათიშვის", "კარტრიჯის გამოცვლის", "ბინის გამოცვლის"],
    "tl": ["huling update", "brownout", "pagpalit ng cartridge", "paglipat ng bahay"],
}

# Titles per article type; {short} the product, {component}, {symptom}, {action}, {error}.
ARTICLE_TITLES = {
    "en": {
        "troubleshooting": [
            "{short} {symptom}",
            "Fix error {error} on the {short}",
            "What to do if your {noun} {symptom}",
            "Troubleshoot the {component} on the {short}",
            "{short}: {component} problems after {event}",
        ],
        "guide": [
            "Set up your {short}",
            "How to {action} on the {short}",
            "Install or replace the {component} on the {short}",
            "Connect your {short} to a new Wi-Fi network",
            "Get started with the {component} of your {short}",
        ],
        "training": [
            "{short} training, lesson {lesson}: the {component}",
            "Get more from your {short}: {component} tips",
        ],
        "faq": [
            "{short} FAQ: the {component}",
            "Common questions about the {component} on the {short}",
        ],
        "policy": [
            "Warranty cover for the {short}",
            "Return or repair your {short}",
            "Is the {component} covered by the {short} warranty?",
        ],
    },
    "fa": {
        "troubleshooting": [
            "{short} {symptom}",
            "رفع خطای {error} در {short}",
            "عیب‌یابی {component} در {short}",
        ],
        "guide": ["راه‌اندازی {short}", "نصب {component} در {short}"],
        "training": ["آموزش {short}، درس {lesson}: {component}"],
        "faq": ["پرسش‌های متداول درباره {component} در {short}"],
        "policy": ["گارانتی {short}", "مرجوع کردن یا تعمیر {short}"],
    },
    "hi": {
        "troubleshooting": [
            "{short} {symptom}",
            "{short} पर {error} एरर ठीक करें",
            "{short} के {component} की समस्या हल करें",
        ],
        "guide": ["अपना {short} सेट अप करें", "{short} में {component} कैसे लगाएँ"],
        "training": ["{short} ट्रेनिंग, पाठ {lesson}: {component}"],
        "faq": ["{short} के {component} के बारे में आम सवाल"],
        "policy": ["{short} की वारंटी", "{short} को रिटर्न या रिपेयर कराएँ"],
    },
    "ka": {
        "troubleshooting": [
            "{short} {symptom}",
            "შეცდომა {error}: როგორ გამოვასწოროთ {short}",
            "{short}: პრობლემები — {component}",
        ],
        "guide": ["{short}-ის გამართვა", "{short}: {component} — ინსტალაცია"],
        "training": ["{short}, გაკვეთილი {lesson}: {component}"],
        "faq": ["ხშირად დასმული კითხვები — {component} ({short})"],
        "policy": ["{short}-ის გარანტია", "{short}-ის დაბრუნება ან შეკეთება"],
    },
    "tl": {
        "troubleshooting": [
            "Ang {short} {symptom}",
            "Ayusin ang error {error} sa {short}",
            "Problema sa {component} ng {short}",
        ],
        "guide": ["I-set up ang iyong {short}", "Paano i-install ang {component} ng {short}"],
        "training": ["Training sa {short}, aralin {lesson}: {component}"],
        "faq": ["Mga karaniwang tanong tungkol sa {component} ng {short}"],
        "policy": ["Warranty ng {short}", "Ibalik o ipaayos ang {short}"],
    },
}

ARTICLE_SUMMARIES = {
    "en": {
        "problem": "If your {short} {symptom}, work through these steps in order: most "
        "customers fix it in under {minutes} minutes without tools.",
        "howto": "Step-by-step instructions for the {component} of the {short}, with what "
        "you need before you start and what to do if something goes wrong.",
    },
    "fa": {
        "problem": "اگر {short} {symptom}، این مراحل را به ترتیب انجام دهید.",
        "howto": "راهنمای گام‌به‌گام برای {component} در {short}.",
    },
    "hi": {
        "problem": "अगर आपका {short} {symptom}, तो ये कदम क्रम से आज़माएँ।",
        "howto": "{short} के {component} के लिए चरण-दर-चरण गाइड।",
    },
    "ka": {
        "problem": "თუ {short} {symptom}, მიჰყევით ამ ნაბიჯებს თანმიმდევრობით.",
        "howto": "ნაბიჯ-ნაბიჯ ინსტრუქცია: {component}, {short}.",
    },
    "tl": {
        "problem": "Kung ang {short} mo {symptom}, sundin ang mga hakbang na ito.",
        "howto": "Sunod-sunod na gabay para sa {component} ng {short}.",
    },
}

# Article body pieces.
STEPS_HEADING = {"en": "Steps", "fa": "مراحل", "hi": "चरण", "ka": "ნაბიჯები", "tl": "Mga hakbang"}
TIP = {
    "en": "Keep your serial number and proof of purchase to hand before you contact support.",
    "fa": "اگر مشکل ادامه داشت، با پشتیبانی تماس بگیرید و شماره سریال را آماده داشته باشید.",
    "hi": "अगर समस्या बनी रहे, तो सीरियल नंबर तैयार रखकर सपोर्ट से संपर्क करें।",
    "ka": "თუ პრობლემა არ მოგვარდა, დაუკავშირდით მხარდაჭერას და მოამზადეთ სერიული ნომერი.",
    "tl": "Kung hindi pa rin maayos, makipag-ugnayan sa support at ihanda ang serial number.",
}
EN_INTROS = [
    "Most of the time this is caused by the {component}, not by a fault in the {noun}.",
    "This usually starts after {event}, and it can almost always be fixed at home.",
    "If the display shows {error}, the {noun} has detected a problem with the {component}.",
    "Work through the steps in order and check after each one whether the problem is gone.",
]
EN_PREPARE = [
    "a soft, lint-free cloth",
    "the latest version of the app",
    "your Wi-Fi name and password",
    "about 15 minutes",
    "the serial number from the label",
    "a paperclip to press the reset button",
]
EN_WARNINGS = [
    "Unplug the power cable first.",
    "Don't touch the copper contacts.",
    "A factory reset deletes your settings.",
    "Wait until the light stops blinking.",
]
EN_CLOSING = [
    "If the {component} still doesn't work after these steps, the {noun} may need a repair "
    "under warranty: contact support with the error code ({error}).",
    "Still stuck? Ask the community: other owners of the {short} often know a workaround.",
]
EN_FAQ = [
    (
        "How long does the {component} last?",
        "With normal use, about two years. Heavy use shortens that.",
    ),
    (
        "Can I use third-party parts?",
        "You can, but damage they cause isn't covered by the warranty.",
    ),
    (
        "What does error {error} mean?",
        "The {noun} has detected a fault in the {component}. Restart it first.",
    ),
    (
        "Do I need to update the firmware?",
        "Yes: updates fix known problems, including this one.",
    ),
]

# Forum threads.
THREAD_SUBJECTS = {
    "en": [
        "{short} {symptom}",
        "{short} {symptom} since {event}??",
        "Error {error} on my {short}",
        "{component} problem on the {short} - any ideas?",
        "Help! My {noun} {symptom}",
        "is it normal that my {short} {symptom}?",
    ],
    "fa": [
        "{short} {symptom}",
        "خطای {error} در {short}",
        "مشکل {component} در {short}",
        "{short} بعد از {event} {symptom}",
    ],
    "hi": [
        "{short} {symptom}",
        "{short} पर {error} एरर",
        "{short} में {component} की समस्या",
        "{event} के बाद {short} {symptom}",
    ],
    "ka": [
        "{short} {symptom}",
        "შეცდომა {error} — {short}",
        "პრობლემა: {component} ({short})",
        "{event} შემდეგ {short} {symptom}",
    ],
    "tl": [
        "Ang {short} ko {symptom}",
        "Error {error} sa {short} ko",
        "Problema sa {component} ng {short}",
        "Tulong po: ang {short} {symptom}",
    ],
}
THREAD_BODIES = {
    "en": [
        "Hi all, my {short} {symptom} since {event}. I already tried to {action} and to "
        "{action2}, but nothing changed. The display sometimes shows {error}. Any ideas?",
        "As the title says. {short}, bought about {months} months ago. I tried to {action}, "
        "no luck. Is the {component} faulty? Do I need a repair?",
        "Since {event} my {noun} {symptom}. Support told me to {action}, which worked for a "
        "day and then it started again. Anyone else seeing this?",
    ],
    "fa": [
        "سلام. {short} من بعد از {event} {symptom}. طبق راهنما «{action}» را انجام دادم ولی "
        "فرقی نکرد. گاهی خطای {error} هم نشان می‌دهد. کسی راه‌حلی دارد؟",
        "سلام، وقت بخیر. حدود {months} ماه است که {short} را دارم و حالا {symptom}. "
        "مشکل از {component} است؟",
    ],
    "hi": [
        'नमस्ते, मेरा {short} {event} के बाद से {symptom}। मैंने "{action}" करके देखा, पर कोई '
        "फ़र्क नहीं पड़ा। कभी-कभी {error} एरर भी दिखता है। कोई उपाय बताइए?",
        "नमस्ते। {short} लगभग {months} महीने पुराना है और अब {symptom}। क्या {component} खराब है?",
    ],
    "ka": [
        "გამარჯობა. {event} შემდეგ ჩემი {short} {symptom}. ვცადე „{action}“, მაგრამ არაფერი "
        "შეიცვალა. ზოგჯერ შეცდომა {error} ჩნდება. ვინმემ ხომ არ იცით, რა ვქნა?",
        "გამარჯობათ. {short} დაახლოებით {months} თვის წინ ვიყიდე და ახლა {symptom}. "
        "{component} ხომ არ არის გაფუჭებული?",
    ],
    "tl": [
        "Hello po. Simula noong {event}, ang {short} ko {symptom}. Sinubukan ko nang "
        "{action}, pero ganoon pa rin. Minsan may lumalabas na error {error}. May alam po ba "
        "kayong solusyon?",
        "Magandang araw po. Mga {months} buwan pa lang ang {short} ko at ngayon {symptom}. "
        "Sira na ba ang {component}?",
    ],
}
REPLIES = {
    "en": [
        "Try to {action}. That fixed the same problem for me.",
        "Did you check the {component}? Mine was loose.",
        "Same here, following this thread.",
        "Which firmware version are you on? Error {error} usually points at the {component}.",
        "Support here: please {action} and tell us what the display shows afterwards.",
        "I had this too. In the end I had to {action2}, annoying but it works now.",
    ],
    "fa": [
        "«{action}» را امتحان کنید؛ مشکل من با همین حل شد.",
        "{component} را بررسی کردید؟",
        "من هم همین مشکل را دارم.",
    ],
    "hi": [
        '"{action}" करके देखिए, मेरी समस्या इसी से ठीक हुई।',
        "क्या आपने {component} जाँचा?",
        "मेरे साथ भी यही समस्या है।",
    ],
    "ka": [
        "სცადეთ: „{action}“ — ჩემთან ამან უშველა.",
        "{component} შეამოწმეთ?",
        "ჩემთანაც იგივე პრობლემაა.",
    ],
    "tl": [
        "Subukan mong {action}, iyon ang nakaayos sa akin.",
        "Natingnan mo na ba ang {component}?",
        "Ganyan din ang problema ko.",
    ],
}
ACCEPTED_INTRO = {
    "en": "This worked for me:",
    "fa": "این روش جواب داد:",
    "hi": "मेरे लिए यह तरीका काम आया:",
    "ka": "ჩემთან ასე გამოსწორდა:",
    "tl": "Ito ang gumana sa akin:",
}
ACCEPTED_OUTRO = {
    "en": "After that the {component} works again. Thanks everyone!",
    "fa": "بعد از این کار {component} دوباره درست کار می‌کند.",
    "hi": "इसके बाद {component} फिर से ठीक काम कर रहा है।",
    "ka": "ამის შემდეგ {component} ისევ გამართულად მუშაობს.",
    "tl": "Pagkatapos noon, gumana na ulit ang {component}.",
}

FIRST_NAMES = {
    "en": ["maria", "james", "olivia", "liam", "emma", "noah", "sophia", "lucas", "ava", "ethan"],
    "fa": ["ali", "sara", "reza", "maryam", "amir", "zahra", "hossein", "niloofar"],
    "hi": ["ravi", "priya", "amit", "neha", "arjun", "pooja", "vikram", "anjali"],
    "ka": ["nino", "giorgi", "mariam", "levan", "tamar", "davit", "ana", "luka"],
    "tl": ["juan", "marites", "jose", "ana", "mark", "joy", "paolo", "liza"],
}
EXPERTS = ["sam_support", "alex_expert", "dana_support", "kofi_expert"]


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

ARTICLE_SHARE = 0.3  # the rest are forum threads
ARTICLE_TYPES = [
    ("troubleshooting", 45),
    ("guide", 25),
    ("faq", 12),
    ("training", 10),
    ("policy", 8),
]
SOLVED_SHARE = 0.45
START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
SPAN_SECONDS = 34 * 30 * 24 * 3600  # about 34 months of history

# Documents the query-count benchmark opens, always in the corpus and always imported.
FIXTURE_IDS = {
    "topic_small": "bench-topic-5-replies",
    "topic_large": "bench-topic-50-replies",
    "article_short": "bench-article-short",
    "article_long": "bench-article-long",
}


def product_id(key: str, locale: str) -> str:
    return f"product-{key}" if locale == "en" else f"{locale}-product-{key}"


def product_name(product: tuple, locale: str) -> str:
    key, family, kind, short, english, weight = product
    if locale == "en":
        return english
    return PRODUCT_NAME[locale].format(noun=KIND_NOUNS[locale][kind], short=short)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class CorpusGenerator:
    """N support documents from a fixed seed: same seed and N, same lines, byte for byte."""

    def __init__(self, docs: int, seed: int = DEFAULT_SEED):
        self.docs = docs
        self.random = random.Random(seed)
        self.users = self._user_pool(max(50, docs // 8))
        self.article_counts: Counter = Counter()

    # Words --------------------------------------------------------------------------------

    def _pick(self, items):
        return self.random.choice(items)

    def _weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.random.choices(items, weights=weights)[0]

    def _user_pool(self, size: int) -> dict[str, list[str]]:
        pool: dict[str, list[str]] = {code: [] for code in FIRST_NAMES}
        seen = set()
        while sum(len(v) for v in pool.values()) < size:
            code = self._weighted(LOCALE_WEIGHTS.items())
            name = self._pick(FIRST_NAMES[code])
            style = self.random.randrange(3)
            if style == 0:
                username = f"{name}_{self.random.choice('abcdefghijklmnoprstvwz')}"
            elif style == 1:
                username = f"{name}{self.random.randrange(1, 999)}"
            else:
                username = (
                    f"{name}.{self._pick(FIRST_NAMES[code])[:3]}{self.random.randrange(10, 99)}"
                )
            if username not in seen:
                seen.add(username)
                pool[code].append(username)
        return pool

    def _words(self, product: tuple, locale: str) -> dict:
        key, family, kind, short, english, weight = product
        actions = ACTIONS[locale][family] if locale == "en" else ACTIONS[locale]
        action, action2 = self.random.sample(actions, 2)
        return {
            "short": short,
            "noun": KIND_NOUNS[locale][kind],
            "component": self._pick(COMPONENTS[locale][family]),
            "symptom": self._pick(SYMPTOMS[locale][family]),
            "action": action,
            "action2": action2,
            "error": self._pick(ERROR_CODES[family]),
            "event": self._pick(EVENTS[locale]),
            "months": self.random.randrange(2, 30),
            "minutes": self._pick([5, 10, 15, 20, 30]),
            "lesson": self.random.randrange(1, 9),
        }

    def _when(self) -> datetime:
        return START + timedelta(seconds=self.random.randrange(SPAN_SECONDS))

    # Lines --------------------------------------------------------------------------------

    def products(self) -> list[dict]:
        """Every product in every language; translations point at the English page."""
        lines = []
        for locale in LOCALE_WEIGHTS:
            for product in PRODUCTS:
                key, family, kind, short, english, weight = product
                noun = KIND_NOUNS[locale][kind]
                line = {
                    "type": "product",
                    "locale": locale,
                    "external_id": product_id(key, locale),
                    "name": product_name(product, locale),
                    "summary": PRODUCT_SUMMARY[locale].format(short=short, noun=noun),
                    "warranty_summary": WARRANTY_SUMMARY[locale],
                }
                if locale != "en":
                    line["translation_of"] = product_id(key, "en")
                lines.append(line)
        return lines

    def _product(self) -> tuple:
        return self._weighted([(p, p[5]) for p in PRODUCTS])

    def article(self, number: int, *, locale=None, product=None, article_type=None, steps=None):
        locale = locale or self._weighted(LOCALE_WEIGHTS.items())
        product = product or self._product()
        article_type = article_type or self._weighted(ARTICLE_TYPES)
        words = self._words(product, locale)
        title = self._pick(ARTICLE_TITLES[locale][article_type]).format(**words)
        problem = article_type == "troubleshooting"
        summary = ARTICLE_SUMMARIES[locale]["problem" if problem else "howto"].format(**words)
        body = self._article_body(locale, product, words, article_type, steps)
        self.article_counts[product_id(product[0], locale)] += 1
        line = {
            "type": "article",
            "locale": locale,
            "external_id": f"bench-article-{number}",
            "article_type": article_type,
            "product": product_name(product, locale),
            "title": _cap(title)[:250],
            "summary": _cap(summary)[:300],
            "body_markdown": body,
            "tags": sorted({product[1], article_type, words["error"].lower()})[:5],
            "minutes": words["minutes"],
            "difficulty": self._pick(["beginner", "beginner", "intermediate", "advanced"]),
        }
        if article_type == "training":
            line["course"] = f"{product[3]} basics"
            line["lesson"] = words["lesson"]
        return line

    def _steps(self, locale: str, product: tuple, count: int) -> list[str]:
        actions = ACTIONS[locale][product[1]] if locale == "en" else ACTIONS[locale]
        return [_cap(self._pick(actions)) for _ in range(count)]

    def _article_body(self, locale, product, words, article_type, steps=None) -> str:
        count = steps or self.random.randrange(3, 8)
        parts = []
        if locale == "en":
            parts.append(" ".join(self.random.sample(EN_INTROS, 2)).format(**words))
            prepare = self.random.sample(EN_PREPARE, 3)
            parts.append("## Before you start\n\n" + "\n".join(f"- {p}" for p in prepare))
        else:
            parts.append(ARTICLE_SUMMARIES[locale]["problem"].format(**words))
        numbered = []
        for index, step in enumerate(self._steps(locale, product, count), start=1):
            numbered.append(f"{index}. {step}.")
            if locale == "en" and self.random.random() < 0.25:
                numbered.append(f"   Warning: {self._pick(EN_WARNINGS)}")
        parts.append(f"## {STEPS_HEADING[locale]}\n\n" + "\n".join(numbered))
        parts.append(f"> Tip: {TIP[locale]}")
        if locale == "en" and (article_type == "faq" or (steps and steps > 10)):
            qa = self.random.sample(EN_FAQ, 3 if article_type == "faq" else 4)
            parts.append("\n\n".join(f"Q: {q}\nA: {a}" for q, a in qa).format(**words))
        if locale == "en" and steps and steps > 10:
            parts.append(
                "| Light | Meaning |\n|---|---|\n| Solid white | Ready |\n"
                "| Blinking amber | {error} |\n| Off | No power |".format(**words)
            )
        if locale == "en":
            parts.append(self._pick(EN_CLOSING).format(**words))
        return "\n\n".join(parts)

    def thread(self, number: int, *, locale=None, product=None, replies=None, solved=None):
        locale = locale or self._weighted(LOCALE_WEIGHTS.items())
        product = product or self._product()
        words = self._words(product, locale)
        general = self.random.random() < 0.12
        forum = self._pick(GENERAL_FORUMS) if general else FORUMS[product[1]]
        if replies is None:
            replies = (
                0 if self.random.random() < 0.15 else min(int(self.random.expovariate(0.3)) + 1, 25)
            )
        if solved is None:
            solved = replies > 0 and self.random.random() < SOLVED_SHARE / 0.85
        created = self._when()
        asker = self._pick(self.users[locale])
        accepted_at = self.random.randrange(replies) if solved and replies else None
        reply_lines = []
        when = created
        for index in range(replies):
            when += timedelta(minutes=self.random.randrange(5, 60 * 30))
            expert = self.random.random() < 0.25
            author = self._pick(EXPERTS) if expert else self._pick(self.users[locale])
            reply_words = self._words(product, locale) | {"short": words["short"]}
            if index == accepted_at:
                steps = "\n".join(
                    f"{i}. {s}." for i, s in enumerate(self._steps(locale, product, 3), start=1)
                )
                body = "\n\n".join(
                    [ACCEPTED_INTRO[locale], steps, ACCEPTED_OUTRO[locale].format(**reply_words)]
                )
            else:
                body = self._pick(REPLIES[locale]).format(**reply_words)
            reply = {"body": body, "author": author, "created": when.isoformat()}
            if index == accepted_at:
                reply["accepted"] = True
            reply_lines.append(reply)
        return {
            "type": "thread",
            "forum": forum,
            "forum_category": FORUM_CATEGORY,
            "locale": locale,
            "external_id": f"bench-thread-{number}",
            "subject": _cap(self._pick(THREAD_SUBJECTS[locale]).format(**words))[:250],
            "body": self._pick(THREAD_BODIES[locale]).format(**words),
            "author": asker,
            "created": created.isoformat(),
            "replies": reply_lines,
        }

    def fixtures(self) -> list[dict]:
        """The pages the query-count benchmark opens: small and large of each kind."""
        p200 = PRODUCTS[0]
        lines = [
            self.article(0, locale="en", product=p200, article_type="troubleshooting", steps=2),
            self.article(0, locale="en", product=p200, article_type="guide", steps=24),
            self.thread(0, locale="en", product=p200, replies=5, solved=True),
            self.thread(0, locale="en", product=p200, replies=50, solved=True),
        ]
        for line, key in zip(
            lines, ["article_short", "article_long", "topic_small", "topic_large"], strict=True
        ):
            line["external_id"] = FIXTURE_IDS[key]
        return lines

    def documents(self) -> Iterator[dict]:
        """The N articles and threads (fixtures excluded), in a fixed order."""
        for number in range(1, self.docs + 1):
            if self.random.random() < ARTICLE_SHARE:
                yield self.article(number)
            else:
                yield self.thread(number)


@dataclass
class CorpusPlan:
    """Which lines go through ``import_content`` and which are bulk-created, in two phases."""

    products: list[dict]
    phases: list[dict]  # {"docs": int, "import": [lines], "bulk": [lines]}
    meta: dict


def plan_corpus(docs: int, *, seed: int, import_share: float, first_phase: int) -> CorpusPlan:
    """Split the corpus into phases; every ``1/import_share``-th document is imported.

    Products and the fixtures are always imported; ``import_share=1`` imports everything.
    """
    generator = CorpusGenerator(docs, seed)
    products = generator.products()
    fixtures = generator.fixtures()
    documents = list(generator.documents())
    every = max(1, round(1 / import_share)) if import_share > 0 else 0
    phases = []
    bounds = [(0, min(first_phase, docs)), (min(first_phase, docs), docs)]
    for index, (start, end) in enumerate(bounds):
        if end <= start:
            continue
        chunk = documents[start:end]
        imported = [line for i, line in enumerate(chunk) if every and (start + i) % every == 0]
        bulk = [line for i, line in enumerate(chunk) if not (every and (start + i) % every == 0)]
        if index == 0:
            imported = fixtures + imported
        phases.append({"docs": end + len(fixtures), "import": imported, "bulk": bulk})
    en_counts = {
        pid: count for pid, count in generator.article_counts.items() if pid.startswith("product-")
    }
    meta = {
        "seed": seed,
        "documents": docs + len(fixtures),
        "articles": sum(1 for d in documents + fixtures if d["type"] == "article"),
        "threads": sum(1 for d in documents + fixtures if d["type"] == "thread"),
        "posts": sum(1 + len(d["replies"]) for d in documents + fixtures if d["type"] == "thread"),
        "solved_threads": sum(
            1
            for d in documents + fixtures
            if d["type"] == "thread" and any(r.get("accepted") for r in d["replies"])
        ),
        "locales": dict(Counter(d["locale"] for d in documents + fixtures)),
        "products": len(products),
        "users": sum(len(v) for v in generator.users.values()) + len(EXPERTS),
        "fixtures": FIXTURE_IDS,
        "product_most_articles": max(en_counts, key=en_counts.get),
        "product_fewest_articles": min(en_counts, key=en_counts.get),
        "articles_per_en_product": dict(sorted(en_counts.items(), key=lambda kv: -kv[1])),
    }
    return CorpusPlan(products=products, phases=phases, meta=meta)


def write_jsonl(path: Path, lines: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# ---------------------------------------------------------------------------------------------
# Loading (needs Django: run with DJANGO_SETTINGS_MODULE=bench.settings)
# ---------------------------------------------------------------------------------------------

BULK_BATCH = 500


def setup_site() -> dict:
    """What ``import_content`` expects to exist (a help center), plus the benchmark's member."""
    from django.contrib.auth import get_user_model

    from kb.demo import seed_help_center

    seed_help_center()
    User = get_user_model()
    member, created = User.objects.get_or_create(
        username="bench-member", defaults={"is_active": True}
    )
    if created:
        member.set_password("bench-member-pass")
        member.save()
    return {"member": member.username}


@contextmanager
def _given_dates(*models):
    """Let bulk_create keep the dates a line gives instead of auto_now/auto_now_add."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _batches(items: list, size: int = BULK_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def bulk_load(lines: list[dict], progress=None) -> dict:
    """Create article pages and forum threads straight in the database. NOT the user path.

    Same fields, bodies (``markdown_to_blocks``), products, tags, solutions and languages as
    ``import_content`` would store, but with ``bulk_create``: no page revisions, no log
    entries, no signals (so no search or Wagtail admin index updates, no machina counters
    per post: forum and member counters are recomputed once at the end).
    """
    articles = [line for line in lines if line["type"] == "article"]
    threads = [line for line in lines if line["type"] == "thread"]
    for batch in _batches(articles):
        _bulk_articles(batch)
        if progress is not None:
            progress.update(len(batch))
    touched_forums, touched_users = set(), set()
    for batch in _batches(threads, BULK_BATCH // 2):
        forums, users = _bulk_threads(batch)
        touched_forums |= forums
        touched_users |= users
        if progress is not None:
            progress.update(len(batch))
    _refresh_forum_counters(touched_forums, touched_users)
    return {"article": len(articles), "thread": len(threads)}


def _bulk_articles(lines: list[dict]) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag
    from wagtail.models import Locale, Page

    from kb.importing import ImportContext, _resolve_body
    from kb.markdown_blocks import markdown_to_blocks
    from kb.models import ArticlePage, ArticlePageTag, ProductPage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    now = timezone.now()
    with transaction.atomic():
        parents: dict[tuple, ProductPage] = {}
        next_step: dict[int, int] = {}
        slugs: dict[int, set] = {}
        pages, specifics = [], []
        for line in lines:
            locale = locales[line["locale"]]
            key = (locale.pk, line["product"])
            if key not in parents:
                parent = ProductPage.objects.get(locale=locale, title=line["product"])
                parents[key] = parent
                children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                last = children.order_by("-path").values_list("path", flat=True).first()
                next_step[parent.pk] = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
                slugs[parent.pk] = set(children.values_list("slug", flat=True))
            parent = parents[key]
            base = slugify(line["title"], allow_unicode=True)[:70] or "article"
            slug, n = base, 2
            while slug in slugs[parent.pk]:
                slug, n = f"{base}-{n}", n + 1
            slugs[parent.pk].add(slug)
            path = Page._get_path(parent.path, parent.depth + 1, next_step[parent.pk])
            next_step[parent.pk] += 1
            converted = markdown_to_blocks(line["body_markdown"])
            body, _missing = _resolve_body(
                converted.blocks,
                converted.related_ids,
                locale,
                ImportContext(),
                line["external_id"],
            )
            pages.append(
                Page(
                    title=line["title"],
                    draft_title=line["title"],
                    slug=slug,
                    content_type=content_type,
                    live=True,
                    has_unpublished_changes=False,
                    url_path=f"{parent.url_path}{slug}/",
                    first_published_at=now,
                    last_published_at=now,
                    translation_key=uuid.uuid4(),
                    locale=locale,
                    path=path,
                    depth=parent.depth + 1,
                    numchild=0,
                )
            )
            specifics.append((line, body, parent))
        Page.objects.bulk_create(pages)
        rows, product_links, tag_links = [], [], []
        tags = {}
        for page, (line, body, parent) in zip(pages, specifics, strict=True):
            rows.append(
                ArticlePage(
                    page_ptr_id=page.pk,
                    article_type=line["article_type"],
                    summary=line["summary"],
                    minutes=line.get("minutes"),
                    difficulty=line.get("difficulty", ""),
                    course=line.get("course", ""),
                    lesson=line.get("lesson"),
                    body=json.dumps(body),
                    external_id=line["external_id"],
                )
            )
            product_links.append(
                ArticlePage.products.through(articlepage_id=page.pk, productpage_id=parent.pk)
            )
            for name in line.get("tags", [])[:20]:
                if name not in tags:
                    tags[name] = Tag.objects.get_or_create(name=name)[0]
                tag_links.append(ArticlePageTag(content_object_id=page.pk, tag_id=tags[name].pk))
        # bulk_create refuses multi-table children: insert ArticlePage's own columns directly.
        ArticlePage._base_manager._insert(
            rows, fields=ArticlePage._meta.local_concrete_fields, using="default"
        )
        ArticlePage.products.through.objects.bulk_create(product_links)
        ArticlePageTag.objects.bulk_create(tag_links)
        added = Counter(parent.pk for _line, _body, parent in specifics)
        for parent_pk, count in added.items():
            Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + count)


def _bulk_threads(lines: list[dict]) -> tuple[set, set]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils.text import slugify
    from machina.apps.forum_conversation.models import Post, Topic

    from forum.importing import _when, forum_for
    from forum.models import ImportedThread, TopicLanguage, TopicSolution

    User = get_user_model()
    names = {line["author"] for line in lines} | {
        reply["author"] for line in lines for reply in line["replies"]
    }
    with transaction.atomic():
        users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        missing = [
            User(username=name, is_active=False, password=make_password(None))
            for name in sorted(names - set(users))
        ]
        User.objects.bulk_create(missing)
        users |= dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        forums = {}
        topics, posts_per_topic = [], []
        content = Post._meta.get_field("content")
        for line in lines:
            name = line["forum"]
            if name not in forums:
                forums[name] = forum_for(name, category=line.get("forum_category", ""))
            created = _when(line["created"], None)
            replies = [(r, _when(r["created"], created)) for r in line["replies"]]
            last = replies[-1][1] if replies else created
            topics.append(
                Topic(
                    forum=forums[name],
                    poster_id=users[line["author"]],
                    subject=line["subject"],
                    slug=slugify(line["subject"], allow_unicode=True) or "topic",
                    type=Topic.TOPIC_POST,
                    status=Topic.TOPIC_UNLOCKED,
                    approved=True,
                    posts_count=len(replies) + 1,
                    created=created,
                    updated=last,
                    last_post_on=last,
                )
            )
            posts = [(users[line["author"]], line["subject"], line["body"], created, False)]
            posts += [
                (users[r["author"]], f"Re: {line['subject']}", r["body"], when, r.get("accepted"))
                for r, when in replies
            ]
            posts_per_topic.append(posts)
        with _given_dates(Topic, Post):
            Topic.objects.bulk_create(topics)
            all_posts, accepted = [], {}
            for topic, posts in zip(topics, posts_per_topic, strict=True):
                for poster, subject, body, when, is_answer in posts:
                    post = Post(
                        topic=topic,
                        poster_id=poster,
                        subject=subject[:255],
                        content=body,
                        approved=True,
                        created=when,
                        updated=when,
                    )
                    content.render_data(None, Post, instance=post)
                    all_posts.append(post)
                    if is_answer:
                        accepted[topic.pk] = post
            Post.objects.bulk_create(all_posts)
        first_last = {}
        for post in all_posts:
            first, last = first_last.get(post.topic_id, (post, post))
            first_last[post.topic_id] = (first, post)
        for topic in topics:
            topic.first_post, topic.last_post = first_last[topic.pk]
        Topic.objects.bulk_update(topics, ["first_post", "last_post"])
        TopicSolution.objects.bulk_create(
            [
                TopicSolution(topic=topic, post=accepted[topic.pk], marked_by_id=topic.poster_id)
                for topic in topics
                if topic.pk in accepted
            ]
        )
        TopicLanguage.objects.bulk_create(
            [
                TopicLanguage(topic=topic, language=line["locale"])
                for topic, line in zip(topics, lines, strict=True)
            ]
        )
        ImportedThread.objects.bulk_create(
            [
                ImportedThread(external_id=line["external_id"], topic=topic)
                for topic, line in zip(topics, lines, strict=True)
            ]
        )
    return {forum.pk for forum in forums.values()}, set(users.values())


def _refresh_forum_counters(forum_ids: set, user_ids: set) -> None:
    """The counters machina keeps per forum and per member, recomputed once."""
    from django.db.models import Count
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post
    from machina.apps.forum_member.models import ForumProfile

    for forum in Forum.objects.filter(pk__in=forum_ids):
        forum.update_trackers()
    existing = set(
        ForumProfile.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    ForumProfile.objects.bulk_create([ForumProfile(user_id=pk) for pk in user_ids - existing])
    counts = dict(
        Post.objects.filter(poster_id__in=user_ids, approved=True)
        .values("poster_id")
        .annotate(n=Count("id"))
        .values_list("poster_id", "n")
    )
    profiles = list(ForumProfile.objects.filter(user_id__in=user_ids))
    for profile in profiles:
        profile.posts_count = counts.get(profile.user_id, 0)
    ForumProfile.objects.bulk_update(profiles, ["posts_count"], batch_size=BULK_BATCH)


def import_file(path: Path) -> dict:
    """``manage.py import_content FILE`` in this process, timed (wall and CPU seconds)."""
    import io

    from django.core.management import call_command

    lines = sum(1 for line in path.open(encoding="utf-8") if line.strip())
    out, err = io.StringIO(), io.StringIO()
    wall, cpu = time.perf_counter(), time.process_time()
    call_command("import_content", str(path), stdout=out, stderr=err)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    errors = [line for line in err.getvalue().splitlines() if line.startswith("line ")]
    return {
        "lines": lines,
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "lines_per_second": round(lines / wall, 2) if wall else None,
        "errors": len(errors),
        "first_errors": errors[:3],
        "summary": out.getvalue().strip().splitlines()[-1:],
    }


def load_phase(bulk: Path | None, imports: Path | None, products: Path | None) -> dict:
    """One phase: products (imported), bulk lines, then imported lines per kind."""
    from tqdm import tqdm

    result: dict = {}
    if products is not None:
        log(f"importing {products.name} through import_content")
        result["products"] = import_file(products)
    if bulk is not None:
        lines = read_jsonl(bulk)
        log(f"bulk-creating {len(lines)} documents (bench.corpus.bulk_load, not the user path)")
        wall, cpu = time.perf_counter(), time.process_time()
        with tqdm(total=len(lines), unit="doc", desc="Bulk-creating") as progress:
            counts = bulk_load(lines, progress)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        result["bulk"] = {
            **counts,
            "seconds": round(wall, 3),
            "cpu_seconds": round(cpu, 3),
            "docs_per_second": round(len(lines) / wall, 1) if wall else None,
        }
    if imports is not None:
        lines = read_jsonl(imports)
        for kind in ("article", "thread"):
            chosen = [line for line in lines if line["type"] == kind]
            if not chosen:
                continue
            path = write_jsonl(imports.with_name(f"{imports.stem}-{kind}s.jsonl"), chosen)
            log(f"importing {len(chosen)} {kind}s through import_content")
            result[f"import_{kind}s"] = import_file(path)
    return result


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the corpus as JSON lines (no Django needed)")
    gen.add_argument("--docs", type=int, default=10_000)
    gen.add_argument("--seed", type=int, default=DEFAULT_SEED)
    gen.add_argument("--out", type=Path, required=True, help="a file, or a folder with --plan")
    gen.add_argument("--plan", action="store_true", help="write the benchmark's phase files")
    gen.add_argument("--import-share", type=float, default=1.0)
    gen.add_argument("--first-phase", type=int, default=0)
    sub.add_parser("setup", help="help center and benchmark member (needs a migrated database)")
    load = sub.add_parser("load", help="load one phase: --products, --bulk, --import files")
    load.add_argument("--products", type=Path)
    load.add_argument("--bulk", type=Path)
    load.add_argument("--import", dest="imports", type=Path)
    load.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.command == "generate":
        if args.plan:
            plan = plan_corpus(
                args.docs,
                seed=args.seed,
                import_share=args.import_share,
                first_phase=args.first_phase or args.docs,
            )
            write_plan(plan, args.out)
        else:
            generator = CorpusGenerator(args.docs, args.seed)
            lines = generator.products() + generator.fixtures() + list(generator.documents())
            write_jsonl(args.out, lines)
            log(f"wrote {len(lines)} lines to {args.out}")
        return 0

    import django

    django.setup()
    if args.command == "setup":
        log(f"site ready: help center in every language, member {setup_site()['member']}")
        return 0
    result = load_phase(args.bulk, args.imports, args.products)
    args.result.write_text(json.dumps(result, indent=2))
    return 0


def write_plan(plan: CorpusPlan, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"products": str(write_jsonl(folder / "products.jsonl", plan.products))}
    for number, phase in enumerate(plan.phases, start=1):
        files[f"phase{number}"] = {
            "docs": phase["docs"],
            "import": str(write_jsonl(folder / f"phase{number}-import.jsonl", phase["import"])),
            "bulk": str(write_jsonl(folder / f"phase{number}-bulk.jsonl", phase["bulk"])),
            "import_lines": len(phase["import"]),
            "bulk_lines": len(phase["bulk"]),
        }
    (folder / "meta.json").write_text(json.dumps({**plan.meta, "files": files}, indent=2))
    return files


if __name__ == "__main__":
    sys.exit(main())
