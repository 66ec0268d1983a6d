"""Draw the sample edition's "photographs" and facsimiles (all invented) with Pillow.

Run from anywhere:  python examples/sample-edition/images/make_images.py
The pictures are drawings made for the Epistola sample edition, not photographs of anyone;
the facsimiles are typeset imitations of the invented letters. Output is deterministic
(fixed random seeds) and every file stays well under 60 KB.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation",
             "/usr/share/fonts/TTF", "/Library/Fonts", "C:/Windows/Fonts"]


def font(names: list[str], size: int) -> ImageFont.ImageFont:
    """The first of ``names`` found in the usual font folders, else Pillow's default font."""
    for d in FONT_DIRS:
        for n in names:
            p = Path(d) / n
            if p.exists():
                return ImageFont.truetype(str(p), size)
    return ImageFont.load_default(size=size)


SERIF = ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"]
HAND = ["DejaVuSerifCondensed-Italic.ttf", "LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"]
MONO = ["DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"]
SANS_B = ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"]


def save(img: Image.Image, name: str, colours: int = 48) -> None:
    img = img.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path = HERE / name
    img.save(path, optimize=True)
    print(f"{name}: {path.stat().st_size // 1024} KB")


# ---------------------------------------------------------------- photographs

SEPIA_LIGHT = (226, 210, 182)
SEPIA_MID = (160, 132, 98)
SEPIA_DARK = (64, 48, 34)
MOUNT = (238, 232, 218)


def sepia_ground(w: int, h: int, top=SEPIA_LIGHT, bottom=SEPIA_MID) -> Image.Image:
    img = Image.new("RGB", (w, h), top)
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        c = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        d.line([(0, y), (w, y)], fill=c)
    return img


def vignette(img: Image.Image) -> Image.Image:
    w, h = img.size
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).ellipse([-w * 0.15, -h * 0.1, w * 1.15, h * 1.1], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(28))
    dark = Image.new("RGB", (w, h), SEPIA_DARK)
    return Image.composite(img, dark, mask)


def figure(d: ImageDraw.ImageDraw, cx: int, base: int, scale: float = 1.0, *, cap=False,
           moustache=False, glasses=False, beard=False, tie=True, coat=SEPIA_DARK) -> None:
    """A simple standing half-figure: shoulders, neck, head, a few features."""
    s = scale
    head_r = int(34 * s)
    head_cy = base - int(190 * s)
    # body (shoulders to base)
    d.polygon([(cx - 78 * s, base), (cx - 70 * s, head_cy + 78 * s), (cx - 30 * s, head_cy + 52 * s),
               (cx + 30 * s, head_cy + 52 * s), (cx + 70 * s, head_cy + 78 * s), (cx + 78 * s, base)],
              fill=coat)
    # collar and tie / tunic buttons
    d.polygon([(cx - 18 * s, head_cy + 52 * s), (cx, head_cy + 90 * s), (cx + 18 * s, head_cy + 52 * s)],
              fill=(200, 186, 160))
    if tie:
        d.polygon([(cx - 5 * s, head_cy + 58 * s), (cx + 5 * s, head_cy + 58 * s), (cx + 7 * s, head_cy + 110 * s),
                   (cx, head_cy + 120 * s), (cx - 7 * s, head_cy + 110 * s)], fill=(90, 66, 48))
    else:
        for k in range(3):
            y = head_cy + 100 * s + k * 28 * s
            d.ellipse([cx - 3 * s, y - 3 * s, cx + 3 * s, y + 3 * s], fill=(180, 160, 120))
    # neck and head
    d.rectangle([cx - 13 * s, head_cy + 20 * s, cx + 13 * s, head_cy + 55 * s], fill=(176, 150, 118))
    d.ellipse([cx - head_r * 0.9, head_cy - head_r, cx + head_r * 0.9, head_cy + head_r * 1.1],
              fill=(190, 164, 130))
    # hair
    d.chord([cx - head_r * 0.92, head_cy - head_r * 1.05, cx + head_r * 0.92, head_cy + head_r * 0.3],
            180, 360, fill=(70, 54, 40))
    if cap:
        d.chord([cx - head_r, head_cy - head_r * 1.25, cx + head_r, head_cy + head_r * 0.2], 180, 360,
                fill=(52, 40, 30))
        d.rectangle([cx - head_r * 1.05, head_cy - head_r * 0.45, cx + head_r * 1.2, head_cy - head_r * 0.3],
                    fill=(40, 30, 22))
    # eyes
    for ex in (-12, 12):
        d.ellipse([cx + ex * s - 3 * s, head_cy + 2 * s, cx + ex * s + 3 * s, head_cy + 7 * s], fill=(60, 45, 35))
        if glasses:
            d.ellipse([cx + ex * s - 9 * s, head_cy - 4 * s, cx + ex * s + 9 * s, head_cy + 12 * s],
                      outline=(50, 38, 28), width=max(1, int(2 * s)))
    if moustache:
        d.chord([cx - 16 * s, head_cy + 14 * s, cx + 16 * s, head_cy + 30 * s], 180, 360, fill=(70, 54, 40))
    if beard:
        d.chord([cx - 24 * s, head_cy + 6 * s, cx + 24 * s, head_cy + 44 * s], 0, 180, fill=(80, 62, 46))
    d.line([(cx - 7 * s, head_cy + 34 * s), (cx + 7 * s, head_cy + 34 * s)], fill=(110, 80, 60), width=2)


def mount(photo: Image.Image, caption: str, small: tuple[str, ...]) -> Image.Image:
    w, h = photo.size
    out = Image.new("RGB", (w + 40, h + 96), MOUNT)
    out.paste(photo, (20, 20))
    d = ImageDraw.Draw(out)
    d.rectangle([19, 19, w + 20, h + 20], outline=(120, 104, 84))
    y = h + 30
    for text, size, colour in ((caption, 17, (50, 40, 30)),) + tuple((t, 11, (110, 96, 80)) for t in small):
        f = fitted(d, text, SERIF, size, w + 20)
        tw = d.textlength(text, font=f)
        d.text(((w + 40 - tw) / 2, y), text, font=f, fill=colour)
        y += size + 10
    return out


def fitted(d: ImageDraw.ImageDraw, text: str, names: list[str], size: int, width: int):
    """The largest font not bigger than ``size`` in which ``text`` fits ``width`` pixels."""
    while size > 8:
        f = font(names, size)
        if d.textlength(text, font=f) <= width:
            return f
        size -= 1
    return font(names, size)


NOTICE = ("Drawing for the Epistola sample edition, not a photograph.", "The persons shown are invented.")


def ph_vetrov() -> None:
    w, h = 320, 380
    img = sepia_ground(w, h)
    d = ImageDraw.Draw(img)
    # cypresses and balustrade of the terrace
    for x, hh in ((30, 230), (70, 270), (262, 250), (298, 210)):
        d.ellipse([x - 18, h - hh - 60, x + 18, h - 60], fill=(110, 96, 70))
    d.rectangle([0, h - 95, w, h - 85], fill=(205, 190, 160))
    for x in range(6, w, 22):
        d.rounded_rectangle([x, h - 85, x + 10, h - 40], radius=4, fill=(200, 184, 152))
    d.rectangle([0, h - 40, w, h], fill=(150, 126, 94))
    figure(d, w // 2, h, 1.15, moustache=True, tie=False, coat=(74, 62, 46))
    save(mount(vignette(img), "А. Г. Ветров. Сосновая Горка, август 1931 г.", NOTICE), "ph-vetrov-1931.png")


def ph_lazutin() -> None:
    w, h = 320, 380
    img = sepia_ground(w, h, (200, 184, 156), (150, 124, 92))
    d = ImageDraw.Draw(img)
    # window with bars, then the desk
    d.rectangle([190, 40, 300, 200], fill=(232, 222, 200))
    d.line([(245, 40), (245, 200)], fill=(120, 100, 76), width=5)
    d.line([(190, 120), (300, 120)], fill=(120, 100, 76), width=5)
    figure(d, 130, h - 40, 1.05, glasses=True, coat=(58, 46, 36))
    d.rectangle([0, h - 110, w, h], fill=(96, 74, 52))
    d.rectangle([40, h - 128, 150, h - 112], fill=(230, 222, 204))  # papers
    d.rectangle([210, h - 150, 236, h - 110], fill=(40, 32, 26))  # telephone
    d.ellipse([200, h - 165, 246, h - 145], fill=(40, 32, 26))
    save(mount(vignette(img), "М. И. Лазутин в Центральном совете, 1932 г.", NOTICE), "ph-lazutin-1932.png")


def ph_bureau() -> None:
    w, h = 460, 330
    img = sepia_ground(w, h, (214, 198, 170), (140, 116, 86))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, 70], fill=(182, 164, 134))  # wall panel
    figure(d, 110, h, 0.95, glasses=True, coat=(60, 48, 36))          # Lazutin
    figure(d, 230, h, 1.0, beard=True, coat=(50, 40, 32))              # Orlovsky
    figure(d, 350, h, 0.95, moustache=True, cap=True, tie=False, coat=(68, 56, 42))  # Dolgov
    save(mount(vignette(img), "Лазутин, Орловский, Долгов. Староград, май 1933 г.", NOTICE), "ph-bureau-1933.png")


def ph_sedykh() -> None:
    w, h = 340, 360
    img = sepia_ground(w, h, (228, 216, 192), (176, 150, 104))
    d = ImageDraw.Draw(img)
    rng = random.Random(7)
    d.rectangle([0, 170, w, h], fill=(186, 160, 112))  # field
    for _ in range(260):  # ears of wheat
        x = rng.randrange(0, w)
        y = rng.randrange(180, h)
        d.line([(x, y), (x + rng.randint(-3, 3), y - rng.randint(10, 22))], fill=(140, 116, 74), width=1)
    figure(d, 175, h, 1.05, cap=True, moustache=True, tie=False, coat=(88, 72, 52))
    save(mount(vignette(img), "П. С. Седых в поле под Степногорском, июль 1931 г.", NOTICE), "ph-sedykh-1931.png")


# ---------------------------------------------------------------- facsimiles

PAPER = (236, 224, 196)
INK = (38, 44, 84)


def paper(w: int, h: int, seed: int) -> Image.Image:
    img = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(img)
    rng = random.Random(seed)
    for _ in range(14):  # faint foxing
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(4, 14)
        d.ellipse([x - r, y - r, x + r, y + r], fill=(231, 217, 187))
    d.line([(0, h // 2), (w, h // 2 + 2)], fill=(220, 206, 176), width=2)  # fold
    return img.filter(ImageFilter.GaussianBlur(1.2))


def handwrite(img: Image.Image, lines: list[str], seed: int, top: int = 70, left: int = 40,
              size: int = 19, lead: int = 31, underline: str | None = None) -> None:
    rng = random.Random(seed)
    f = font(HAND, size)
    y = top
    for line in lines:
        layer = Image.new("RGBA", (img.width, lead + 14), (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        x = left + rng.randint(-3, 6)
        for word in line.split(" "):
            dy = rng.randint(-2, 2)
            d.text((x, 4 + dy), word, font=f, fill=INK + (255,))
            wl = d.textlength(word + " ", font=f)
            if underline and word.strip(".,") == underline:
                d.line([(x, 4 + dy + size + 3), (x + d.textlength(word, font=f), 5 + dy + size + 3)],
                       fill=INK + (255,), width=2)
            x += wl + rng.randint(-1, 3)
        layer = layer.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC)
        img.paste(layer, (0, y), layer)
        y += lead


def archive_stamp(img: Image.Image, text: str, leaf: str) -> None:
    d = ImageDraw.Draw(img)
    f = font(SERIF, 12)
    d.text((img.width - 50, 18), leaf, font=font(SERIF, 16), fill=(120, 110, 100))  # folio in pencil
    x, y = 22, img.height - 52
    d.rounded_rectangle([x, y, x + 214, y + 32], radius=5, outline=(112, 72, 140), width=2)
    d.text((x + 8, y + 8), text, font=f, fill=(112, 72, 140))


def facs_1931() -> None:
    img = paper(520, 720, 1931)
    lines = [
        "Здравствуйте, Матвей!",
        "Доехали хорошо. Здесь жарко, море тёплое,",
        "сплю по десять часов, врачи довольны. Через",
        "неделю начну работать всерьёз, а пока пишу",
        "коротко о трёх вещах.",
        "1) О хлебозаготовках. План по Степному",
        "краю нужно держать. ГлавЗерно опять тянет",
        "со сводками: Баженов сидит в кабинете и",
        "ждёт бумаг из районов, а бумаги идут по три",
        "недели. Пусть Баженов даёт сводку каждую",
        "пятидневку, а не раз в месяц. Проследите",
        "за этим лично.",
        "2) Об Эстгарде. Торговый договор с Норд-",
        "ландом Калнин хочет подписать до осени.",
        "Спешить не надо. Нордландцы сами придут",
        "к нам: им некуда девать свой лес и сельдь.",
        "Пусть НУИД тянет переговоры, не отказывая",
        "прямо.                                      ./.",
    ]
    handwrite(img, lines, 16, underline="лично")
    archive_stamp(img, "ЦАС. Ф. 3. Оп. 1. Д. 812", "5")
    save(img, "facs-1931-08-16.png", 24)


def facs_1932() -> None:
    img = paper(520, 720, 1932)
    lines = [
        "Т. Лазутин!",
        "Письмо получил.",
        "1. Письма из края в ОГУ не передавать.",
        "Пошлите в край комиссию во главе с членом",
        "ЦС, пусть проверит на месте, сколько хлеба",
        "на самом деле и сколько осталось людям на",
        "семена. Включите в комиссию человека от",
        "ГлавЗерно, но не Баженова.",
        "2. Седых, видно, сидит в Степногорске и по",
        "районам не ездит. Это безобразие. Скажите",
        "ему, что председатель крайсовета в уборку",
        "должен быть в поле, а не в кабинете.",
        "                                          ./.",
    ]
    handwrite(img, lines, 8, top=80, lead=34, size=20)
    archive_stamp(img, "ЦАС. Ф. 3. Оп. 1. Д. 813", "17")
    save(img, "facs-1932-07-08.png", 24)


def facs_1933() -> None:
    w, h = 560, 400
    img = Image.new("RGB", (w, h), (222, 214, 190))
    d = ImageDraw.Draw(img)
    red = (150, 52, 48)
    fb = font(SANS_B, 26)
    fs = font(SERIF, 12)
    d.rectangle([10, 10, w - 10, h - 10], outline=red, width=2)
    title = "ТЕЛЕГРАММА"
    d.text(((w - d.textlength(title, font=fb)) / 2, 22), title, font=fb, fill=red)
    d.text((24, 64), "Из Кипарисова. Подана 30/IX 1933   17 ч. 20 м.   сл. 21", font=fs, fill=red)
    d.text((24, 82), "Передал: ______      Принял: ______      Служебные отметки: ______", font=fs, fill=red)
    d.line([(20, 104), (w - 20, 104)], fill=red, width=1)
    strips = [
        "СТАРОГРАД НУТЯЖ ДОЛГОВУ",
        "ПРОЕКТ ПОЛУЧИЛ ПЛАН ТРАКТОРОВ НА ТРИДЦАТЬ",
        "ЧЕТВЕРТЫЙ ГОД ДВАДЦАТЬ ПЯТЬ ТЫСЯЧ ВАЛЮТЫ ПЯТЬ",
        "МИЛЛИОНОВ ЛУЧШЕ МЕНЬШЕ ДА НАДЕЖНЕЕ КОСТРОВУ ПРИВЕТ",
        "ВЕТРОВ",
    ]
    fm = font(MONO, 14)
    rng = random.Random(33)
    y = 126
    for s in strips:
        tw = d.textlength(s, font=fm)
        x = 30 + rng.randint(-4, 6)
        d.rectangle([x - 6, y - 4, x + tw + 8, y + 20], fill=(246, 242, 230), outline=(200, 192, 172))
        d.text((x, y), s, font=fm, fill=(30, 30, 30))
        y += 42
    d.text((24, h - 40), "Доставлено 30/IX 21 ч. 05 м.  Особсектор ЦС", font=fs, fill=red)
    save(img, "facs-1933-09-30.png", 16)


if __name__ == "__main__":
    ph_vetrov()
    ph_lazutin()
    ph_bureau()
    ph_sedykh()
    facs_1931()
    facs_1932()
    facs_1933()
