#!/usr/bin/env python3
"""Builds the tokenizer test corpus: Tests/TokenizersTests/Fixtures/corpus/*.txt.

Every sentence below was written for this project (no copied prose). Each corpus file is made of
those sentences, reshuffled and varied with a seeded random generator (numbers, whitespace runs,
line endings), so the output is reproducible: rerunning this script rewrites identical files.

The corpus exists to prove the Swift tokenizer gives the same ids as HF `tokenizers`; it covers
many scripts, code, whitespace runs (incl. CRLF and Unicode spaces), digits and long numbers,
emoji (ZWJ sequences, flags, skin tones, keycaps, tag sequences), combining marks (NFD text),
contractions in every case, and text that looks like special tokens.

Usage: python3 scripts/build_tokenizer_corpus.py   (then run scripts/golden_tokenizer.py)
"""
import pathlib
import random
import unicodedata

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/TokenizersTests/Fixtures/corpus"

ENGLISH = [
    "The judge reads both answers before it writes a single score.",
    "It's not the model's fault; they'd asked for a shorter reply, and we'll see if it's better.",
    "I'M SURE THEY'LL SAY IT'S FINE, BUT WE'VE BEEN WRONG BEFORE AND YOU'D KNOW IT.",
    "She'S here, He'Ll come, They'Re late, We'Ve waited, I'M done, You'D agree, It'T odd.",
    "Don't panic: a tokenizer that can't split \"don't\" correctly isn't worth shipping.",
    "Curly quotes also appear: it’s, we’ll, they’re, and ‘single’ or “double” ones.",
    "On 2024-03-17 at 09:45:12 the server handled 1234567 requests (99.97% success).",
    "Version 3.11.4 fixed bug #4521; see https://example.com/issues?id=4521&sort=desc#top.",
    "Email alice.o'neil@example.org or call +1 (555) 010-9999 ext. 42 before 5pm.",
    "A helpfulness score of 5 means extremely helpful, while 1 means not helpful at all.",
    "Ranking: response 1 is slightly better than response 2, so the ranking score is 3.",
    "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs.",
    "Prices rose from $1,299.99 to $1,449.00 -- an increase of roughly 11.5 percent.",
    "CamelCaseIdentifiers and snake_case_names and kebab-case-words all need splitting.",
    "Well... that was unexpected!!! Was it??? Maybe; maybe not -- who knows?!",
    "'s 'S 't 'T 're 'RE 'Re 'rE 've 'VE 'm 'M 'll 'LL 'Ll 'd 'D 'x ''s '''ll",
    "Long words: antidisestablishmentarianism, pneumonoultramicroscopicsilicovolcanoconiosis.",
    "Tabs\tbetween\twords and  double  spaces and   triple   spaces appear in prose too.",
    "Unit tests should fail loudly, name the offending index, and never crash the process.",
    "Ordinal numbers: 1st, 2nd, 3rd, 4th, 21st, 102nd, 1000000th place in the queue.",
]

LATIN_ACCENTS = [
    "Le café de la gare ouvre à sept heures ; les élèves y révisent leurs leçons.",
    "Ça coûte trop cher, n'est-ce pas ? L'hôtel était déjà complet à Noël.",
    "Die Größe der Straße überrascht Jürgen; er fährt täglich über die Brücke.",
    "Äpfel, Öfen und Übungen: Schöne Grüße aus München und Köln!",
    "El niño pidió una canción más; la señora respondió con una sonrisa.",
    "¿Dónde está la estación? ¡Qué día tan largo! Mañana será mejor.",
    "A avó comprou pão e maçãs na feira; não há nada melhor que isso.",
    "Zażółć gęślą jaźń; Łódź i Wrocław leżą w Polsce, a Kraków też.",
    "Příliš žluťoučký kůň úpěl ďábelské ódy; čeština má háčky.",
    "Tiếng Việt có nhiều dấu: người, được, những, trường học, Hà Nội.",
    "İstanbul'da ılık bir gün; çocuklar şehirde ağaçların altında oynuyor.",
    "Íslenska hefur þ og ð: Þórður fór í bæinn með ömmu sinni.",
    "Dansk og norsk: Blåbærsyltetøy på brødskiva, søstre og brødre.",
    "Română: Știința și țara își păstrează tradițiile în școală.",
    "Magyar: Árvíztűrő tükörfúrógép, öt szép szűz lány őrült írót nyúz.",
    "Eesti keel: Jää, õun ja šokolaad on talvel head; žürii otsustab.",
]

CYRILLIC = [
    "Судья читает оба ответа и только потом ставит оценку от одного до пяти.",
    "Съешь же ещё этих мягких французских булок да выпей чаю.",
    "В 2023 году компания выпустила 15 новых моделей и 3 обновления.",
    "Українська мова має літери ї, є, ґ та апостроф: м'ята, п'ять, сім'я.",
    "Српски: Љубав, њега, ђак, џеп и ћерка пишу се ћирилицом.",
    "Български: Щастието е в малките неща, казва баба ми всяка сутрин.",
    "Москва, Санкт-Петербург и Новосибирск — крупнейшие города России.",
    "ПРОПИСНЫЕ БУКВЫ И строчные буквы чередуются В ЭТОМ предложении.",
    "Ответ №1 лучше, чем ответ №2, но оба содержат ошибки в вычислениях.",
    "Ёлка, ёжик и объём — слова с буквой ё, которую часто заменяют на е.",
]

GREEK = [
    "Ο κριτής διαβάζει και τις δύο απαντήσεις πριν δώσει βαθμό.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία· η θάλασσα είναι ήρεμη σήμερα.",
    "Η Αθήνα και η Θεσσαλονίκη είναι οι μεγαλύτερες πόλεις της Ελλάδας.",
    "Τα γράμματα α, β, γ, δ, ε, ζ, η, θ ακολουθούν το ι, κ, λ, μ, ν, ξ, ο, π.",
    "Πολυτονικό: ἐν ἀρχῇ ἦν ὁ λόγος, ᾠδή, ῥήτωρ, ὦ φίλε.",
    "ΚΕΦΑΛΑΙΑ ΓΡΆΜΜΑΤΑ και πεζά γράμματα; το ερωτηματικό είναι «;».",
]

ARABIC = [
    "يقرأ الحكم الإجابتين قبل أن يعطي درجة من واحد إلى خمسة.",
    "السلام عليكم، كيف حالك اليوم؟ الجو جميل في القاهرة.",
    "الأرقام العربية: ٠١٢٣٤٥٦٧٨٩ والأرقام الغربية 0123456789.",
    "مَرْحَبًا بِكُمْ فِي الْمَدْرَسَةِ؛ التَّشْكِيلُ يُسَاعِدُ عَلَى الْقِرَاءَةِ.",
    "فارسی: کتاب‌ها روی میز هستند و بچه‌ها در حیاط بازی می‌کنند. ۱۲۳۴",
    "اردو: یہ ایک مثال ہے جس میں مختلف حروف استعمال ہوئے ہیں۔",
]

HEBREW = [
    "השופט קורא את שתי התשובות לפני שהוא נותן ציון.",
    "שָׁלוֹם עֲלֵיכֶם, מַה שְּׁלוֹמְךָ הַיּוֹם?",
    "ירושלים, תל אביב וחיפה הן ערים גדולות בישראל.",
    "מספרים בתוך טקסט: 42 תפוחים ו-17 תפוזים, סך הכל 59.",
    "אותיות סופיות: ך ם ן ף ץ, וגם גרשיים כמו צה״ל ו־ת״א.",
]

DEVANAGARI = [
    "न्यायाधीश दोनों उत्तरों को पढ़ता है और फिर अंक देता है।",
    "नमस्ते, आप कैसे हैं? आज मौसम बहुत अच्छा है।",
    "हिंदी अंक: ०१२३४५६७८९ और संयुक्ताक्षर जैसे क्ष, त्र, ज्ञ, श्र।",
    "मराठी: महाराष्ट्रातील पुणे शहर शिक्षणासाठी प्रसिद्ध आहे.",
    "संस्कृतम्: सत्यमेव जयते नानृतम्।",
    "বাংলা: আমি বাংলায় গান গাই; কলকাতা একটি বড় শহর। ১২৩",
    "தமிழ்: வணக்கம், நீங்கள் எப்படி இருக்கிறீர்கள்?",
]

CHINESE = [
    "评审模型先阅读两个回答，然后给出一到五分的评分。",
    "今天天气很好，我们去公园散步吧！你觉得怎么样？",
    "北京、上海和广州是中国最大的城市之一。",
    "机器学习模型需要大量的数据进行训练，例如１２３４５条样本。",
    "繁體中文：這是一個測試句子，用來檢查分詞器的輸出。",
    "成语：画蛇添足、守株待兔、亡羊补牢、对牛弹琴。",
    "数字混排：第3章第12节，共计2048个字符；价格￥99.5元。",
]

JAPANESE = [
    "審査モデルは二つの回答を読んでから点数をつけます。",
    "ひらがなとカタカナと漢字がまざった文章です。",
    "東京タワーは１９５８年に完成しました。とても高いですね！",
    "ｶﾀｶﾅの半角文字も、全角ＡＢＣも、記号「」『』【】も使います。",
    "すみません、駅はどこですか？まっすぐ行って右です。",
    "プログラミング言語のスウィフトで、トークナイザーを書いています。",
]

KOREAN = [
    "심사 모델은 두 답변을 모두 읽은 후 점수를 매깁니다.",
    "안녕하세요, 오늘 날씨가 정말 좋네요! 산책하러 갈까요?",
    "서울, 부산, 인천은 한국의 큰 도시입니다.",
    "한글은 세종대왕이 1443년에 만들었습니다.",
    "자모 분리: ᄒ ᅡ ᆫ ᄀ ᅳ ᆯ 그리고 호환 자모 ㅎㅏㄴㄱㅡㄹ.",
]

THAI = [
    "ผู้ตัดสินอ่านคำตอบทั้งสองก่อนให้คะแนน",
    "สวัสดีครับ วันนี้อากาศดีมาก ไปเดินเล่นกันไหม",
    "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีประชากรหลายล้านคน",
    "เลขไทย: ๐๑๒๓๔๕๖๗๘๙ และภาษาลาว: ສະບາຍດີ",
    "ภาษาเขมร: សួស្តី និង ភាសាพม่า: မင်္ဂလာပါ",
]

OTHER_SCRIPTS = [
    "Հայերեն: Բարև, ինչպե՞ս ես։",
    "ქართული: გამარჯობა, როგორ ხარ?",
    "አማርኛ: ሰላም ነው? ፩፪፫",
    "ᐃᓄᒃᑎᑐᑦ: ᐊᐃ ᐅᑭᐅᖅ",
    "ᚠᚢᚦᚨᚱᚲ runes and 𐌰𐌱𐌲 Gothic and 𓀀𓀁 hieroglyphs.",
    "Math: 𝐀𝐁𝐂 𝑥² + 𝑦² = 𝑧², ∀x∈ℝ: x·x ≥ 0, ∑ᵢ aᵢ ≤ ∞, √2 ≈ 1.41421356.",
    "Ogham and more: ᚛ᚁᚂᚃ᚜ and Cherokee ᏣᎳᎩ and Tifinagh ⵜⵉⴼⵉⵏⴰⵖ.",
    "Long s and Kelvin: Chriſtmas 'ſ 'ſt, 273 K ('K), Ångström Å.",
]

PYTHON = '''\
import json
from dataclasses import dataclass


@dataclass
class Verdict:
    """One judge verdict: two helpfulness scores and a ranking."""
    helpfulness_1: int
    helpfulness_2: int | None = None
    ranking: int | None = None

    def to_json(self) -> str:
        return json.dumps({"h1": self.helpfulness_1, "h2": self.helpfulness_2, "r": self.ranking})


def parse_scores(text: str) -> list[int]:
    # Scores appear as "[The Begin of Helpfulness Score 1]\\n5\\n[The End ...]".
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.isdigit() and 1 <= int(line) <= 6:
            out.append(int(line))
    return out


if __name__ == "__main__":
    for i in range(10):
        print(f"{i:>4d}\\t{i ** 2:>8d}\\t{2 ** i:#x}")
    assert parse_scores("x\\n3\\ny\\n6\\n") == [3, 6], 'mismatch!'
'''

SWIFT = '''\
import Foundation

/// A verdict from the judge, decoded from its output.
public struct Verdict: Sendable, Equatable {
    public var helpfulness: [Int]
    public var ranking: Int?

    public init(helpfulness: [Int], ranking: Int? = nil) {
        self.helpfulness = helpfulness
        self.ranking = ranking
    }
}

func mean(_ xs: [Double]) -> Double? {
    guard !xs.isEmpty else { return nil }
    return xs.reduce(0, +) / Double(xs.count)
}

let values: [Int: String] = [1: "one", 2: "two", 10: "ten"]
for (key, value) in values.sorted(by: { $0.key < $1.key }) where key % 2 == 0 {
\tprint("\\(key) -> \\(value)")
}
let closure = { (a: Int, b: Int) -> Int in a &+ b &* 0x7FFF_FFFF }
#if os(Linux)
print(closure(3, 4), Double.pi, 1e-9, 0b1010, -42)
#endif
'''

JSON_TEXT = '''\
{
  "messages": [
    {"role": "system", "content": "You are a judge.\\nScore from 1 to 5."},
    {"role": "user", "content": "What is 2 + 2?"},
    {"role": "response_1", "content": "4"},
    {"role": "response_2", "content": "Four, obviously \\u00e9\\u4e2d\\ud83d\\ude00."}
  ],
  "scores": [5, 3, null, true, false, -1.5e+10, 0.000001],
  "nested": {"a": {"b": {"c": [[], {}, [1, [2, [3]]]]}}},
  "empty": "",
  "unicode": "日本語 Ελληνικά русский"
}
'''

EMOJI = [
    "Smileys: 😀 😃 😄 😁 😆 😅 🤣 😂 🙂 🙃 😉 😊 😇 🥰 😍 🤩 😘",
    "Skin tones: 👍 👍🏻 👍🏼 👍🏽 👍🏾 👍🏿 👋🏽 🤝🏿 ✋🏻",
    "ZWJ families: 👨‍👩‍👧‍👦 👩‍❤️‍👨 🧑‍💻 👩🏽‍🚀 🏳️‍🌈 🏴‍☠️ 🐻‍❄️ 👁️‍🗨️",
    "Flags: 🇺🇸 🇬🇧 🇯🇵 🇩🇪 🇫🇷 🇧🇷 🇮🇳 🇨🇳 🇰🇷 🇺🇦 🇪🇺",
    "Tag sequences: 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "Keycaps: 1️⃣ 2️⃣ #️⃣ *️⃣ 0️⃣ and variation selectors ☺︎ ☺️ ❤ ❤️ ✔︎",
    "Emoji inside words: good👍job, 3🍎s, x🙂y, 🔥🔥🔥hot🔥🔥🔥",
    "Symbols: ★ ☆ ♠ ♣ ♥ ♦ ☀ ☁ ☂ ☃ ♻ ⚠ ⚡ ✈ ✉ ✏ ✂ ⌘ ⌥ ⇧ ⎋ ← ↑ → ↓ ↔",
]

SPECIAL = [
    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a judge.<|eot_id|>",
    "<|start_header_id|>user<|end_header_id|>\n\nWhich answer is better?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
    "Almost special: <|im_start| <|eot_id <im_end|> <|END_OF_TEXT|> <| eot_id |> <<|eot_id|>> |>",
    "Glued: abc<|endoftext|>def<|im_end|><|im_end|>ghi<|eot_id|><|eot_id|>.",
    "Repo tokens: <repo_name>genrm<file_sep>main.swift<filename>a.py<gh_stars>100<issue_start>",
    "Reserved: <|reserved_special_token_0|> <|reserved_special_token_250|> <|finetune_right_pad_id|> <|eom_id|>",
    "Jupyter: <jupyter_start><jupyter_text>hello<jupyter_code>print(1)<jupyter_output>1<empty_output>",
    "HTML-ish: <div class=\"x\">a &lt; b</div> <br/> <!-- comment --> <|",
    " <|eot_id|> leading space, trailing space <|eot_id|> \n<|eot_id|>\n\n<|eot_id|>  ",
]

# Characters that stress Unicode classes: Unicode spaces, numbers that are not ASCII digits
# (Nd, Nl, No), marks, connectors, format characters, control characters, private use.
STRESS_POOLS = [
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
    "\u0085\u2028\u2029\u000b\u000c",
    "٠١٢٣٤५६७੮੯０１２３߀᠐᠑",
    "ⅠⅡⅢⅣⅫⅿ〇〡〢ᛮᛯ",
    "²³¹¼½¾⁰⁴⁵₀₁₂①②⑳⓵❶㉑",
    "\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u0328\u20dd\u20e3\u0e31\u0e34\u093f\u0940\u05b7",
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad",
    "\u0001\u0002\u0003\u0004\u0006\u0007\u0008\u0013\u0014\u0016\u001b\u001d\u007f",
    "ʰʲˀˁˆˇˈ々ーゝゞ〻ꜗꜘ",
    "_‿⁀⁔︳﹍＿",
    "\ue000\ue001\uf8ff\U000f0000",
    "$€£¥₹₽¢₿+<=>^`|~©®°±×÷",
    "—–‐‑‒―…‘’‚‛“”„‟‹›«»¡¿",
    "ﬁﬂﬀﬃǅǈǋᾈᾩ",
    "\U0001f600\U0001f9d1\U0001f3fd\U0001f1fa\U0001f1f8\U000e0067\U000e007f",
    "abcXYZ",
    "0123456789",
    " ",
    "\t",
    "\n",
    "\r\n",
    "'",
    "sStTdDmM",
]


def nfd(text):
    return unicodedata.normalize("NFD", text)


def vary(rng, sentence):
    """Returns the sentence with seeded variations: numbers, whitespace, line endings."""
    choice = rng.random()
    if choice < 0.15:
        sentence += " " + str(rng.randint(0, 10 ** rng.randint(1, 25)))
    elif choice < 0.25:
        sentence += " " + f"{rng.uniform(-1e6, 1e6):.{rng.randint(0, 8)}f}"
    elif choice < 0.30:
        sentence = " " * rng.randint(2, 9) + sentence
    elif choice < 0.35:
        sentence += " " * rng.randint(1, 6)
    elif choice < 0.40:
        sentence = sentence.upper()
    ending = rng.choices(["\n", "\n\n", "\r\n", " ", "  ", "\n \n", "\t\n", "\n\n\n"],
                         weights=[40, 15, 8, 20, 4, 4, 4, 5])[0]
    return sentence + ending


def prose(rng, sentences, target_bytes, nfd_share=0.0):
    out = []
    size = 0
    while size < target_bytes:
        s = rng.choice(sentences)
        if nfd_share and rng.random() < nfd_share:
            s = nfd(s)
        piece = vary(rng, s)
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(out)


def code(rng, text, copies):
    """Code with its own whitespace; some copies use CRLF or tabs for indentation."""
    out = []
    for i in range(copies):
        variant = text
        if i % 3 == 1:
            variant = variant.replace("\n", "\r\n")
        if i % 3 == 2:
            variant = variant.replace("    ", "\t")
        out.append(variant)
        out.append("\n" * rng.randint(1, 3))
    return "".join(out)


def whitespace(rng, target_bytes):
    words = ["alpha", "beta", "7", "x", "!", "é", "中", "—", "'s", "ok."]
    runs = [" ", "  ", "   ", "    ", "\t", "\t\t", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r",
            " \n", "\n ", " \t \n", "\n\t", "\u00a0", " \u00a0 ", "\u3000", "\u2009", "\u000b",
            "\u000c", "\u0085", "\u2028", "                ", "\n\n\n\n\n\n"]
    out = []
    size = 0
    while size < target_bytes:
        piece = rng.choice(words) + rng.choice(runs) * rng.randint(1, 3)
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(out) + "   \n\n  "


def numbers(rng, target_bytes):
    out = []
    size = 0
    while size < target_bytes:
        kind = rng.randrange(8)
        if kind == 0:
            piece = str(rng.randint(0, 10 ** rng.randint(1, 40)))
        elif kind == 1:
            piece = f"{rng.randint(0, 999)},{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}"
        elif kind == 2:
            piece = f"{rng.random() * 10 ** rng.randint(-5, 12):.6g}"
        elif kind == 3:
            piece = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1900, 2100)}"
        elif kind == 4:
            piece = f"v{rng.randint(0, 9)}.{rng.randint(0, 99)}.{rng.randint(0, 999)}"
        elif kind == 5:
            piece = "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(1, 16)))
        elif kind == 6:
            piece = "".join(rng.choice("٠١٢٣٤٥٦٧٨٩०१२३४५६७८९０１２３４５６７８９๐๑๒") for _ in range(rng.randint(1, 7)))
        else:
            piece = "".join(rng.choice("ⅠⅡⅢⅣⅤ²³¼½①②") for _ in range(rng.randint(1, 4)))
        piece += rng.choice([" ", " ", "\n", ", ", "; ", "km ", "% ", "x", "abc "])
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(out) + "\n"


def stress(rng, target_bytes):
    out = []
    size = 0
    while size < target_bytes:
        pool = rng.choice(STRESS_POOLS)
        piece = "".join(rng.choice(pool) for _ in range(rng.randint(1, 5)))
        out.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(out)


def main():
    rng = random.Random(20250101)
    files = {
        "english": prose(rng, ENGLISH, 12000),
        "latin-accents": prose(rng, LATIN_ACCENTS, 10000, nfd_share=0.3),
        "cyrillic": prose(rng, CYRILLIC, 8000),
        "greek": prose(rng, GREEK, 6000, nfd_share=0.3),
        "arabic-persian-urdu": prose(rng, ARABIC, 6000),
        "hebrew": prose(rng, HEBREW, 5000),
        "indic": prose(rng, DEVANAGARI, 7000),
        "chinese": prose(rng, CHINESE, 6000),
        "japanese": prose(rng, JAPANESE, 6000),
        "korean": prose(rng, KOREAN, 5000, nfd_share=0.2),
        "thai-lao-khmer-burmese": prose(rng, THAI, 5000),
        "other-scripts": prose(rng, OTHER_SCRIPTS, 4000),
        "code-python": code(rng, PYTHON, 6),
        "code-swift": code(rng, SWIFT, 6),
        "code-json": code(rng, JSON_TEXT, 6),
        "emoji": prose(rng, EMOJI, 6000),
        "special-tokens": prose(rng, SPECIAL, 4000),
        "whitespace": whitespace(rng, 5000),
        "numbers": numbers(rng, 5000),
        "unicode-stress": stress(rng, 6000),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    total = 0
    for name, text in files.items():
        data = text.encode("utf-8")
        (OUT / f"{name}.txt").write_bytes(data)
        total += len(data)
    print(f"wrote {len(files)} files, {total} bytes, to {OUT}")


if __name__ == "__main__":
    main()
