#!/usr/bin/env python3
"""The browser viewer in a real headless Chromium, over WebDriver (scripts/test.sh runs it).

    web_test.py SITE [--shots DIR]

SITE is what scripts/web.sh built (target/web). A static server serves it beside the test's own
files (good and hostile recordings, written to a temporary folder, same origin). Each check
reads what the page shows: the canvas's pixels (screenshots; SwiftShader's WebGL2 reads back
exact colours) and the canvas's `data-state` (crates/web/src/host.rs), never the page's DOM
otherwise. Exits 1 with the failed checks named.
"""

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import pathlib
import shutil
import struct
import sys
import tempfile
import threading
import time
import urllib.parse

from PIL import Image
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

# crates/panels/src/theme.rs: the message colours the lanes paint blocks with
MESSAGE_COLOURS = [
    (0x4E, 0x79, 0xA7), (0xF2, 0x8E, 0x2B), (0x59, 0xA1, 0x4F), (0xE1, 0x57, 0x59),
    (0x76, 0xB7, 0xB2), (0xED, 0xC9, 0x48), (0xB0, 0x7A, 0xA1), (0xFF, 0x9D, 0xA7),
    (0x9C, 0x75, 0x5F), (0xBA, 0xB0, 0xAC), (0x8C, 0xD1, 0x7D), (0x49, 0x98, 0x94),
]
# a lane block is many pixels of one exact colour; text anti-aliasing never makes that many
MIN_BLOCK_PIXELS = 200
WAIT_S = 90  # generous: 2 shared cores under a parallel build; a budget is measured, not asserted

failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(name)


def hostile_files(root, recordings):
    """The files the desktop refuses, each with a fragment of the error it must show."""
    good = (recordings / "nagle-burst.json").read_bytes()
    gz = gzip.compress(good, mtime=0)
    files = {
        "good.json": (good, None),
        "good.json.gz": (gz, None),
        "truncated.json.gz": (gz[: len(gz) // 2], "does not inflate"),
        "garbage.json.gz": (b"\x1f\x8b\x08\x00" + b"no deflate here, just words " * 8, "does not inflate"),
        # the 32-bit size trailer says 2 GiB; the stream inflates to far less
        "liar.json.gz": (gz[:-4] + struct.pack("<I", 1 << 31), "does not inflate"),
        "wrong-format.json": (b'{"format": "something-else", "version": 3}', '"format"'),
        "future.json": (b'{"format": "stickyviz-recording", "version": 99}', "99"),
    }
    doc = json.loads(good)
    next(e for e in doc["events"] if "len" in e)["len"] = 2**64 - 1
    files["absurd-len.json"] = (json.dumps(doc).encode(), "2^53")
    # 1 GiB + 1 of spaces inflates past the cap; deflated in pieces (a ~1 MB file)
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=9, mtime=0) as z:
        chunk = b" " * (1 << 20)
        for _ in range(1024):
            z.write(chunk)
        z.write(b" ")
    files["bomb.json.gz"] = (bomb.getvalue(), "1,073,741,825")
    for name, (data, _) in files.items():
        (root / name).write_bytes(data)
    return {name: want for name, (_, want) in files.items()}


def serve(root):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def browser(width, height):
    opts = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
                "--disable-dev-shm-usage", f"--window-size={width},{height}", "--force-device-scale-factor=1"]:
        opts.add_argument(arg)
    if os.environ.get("CHROMIUM"):
        opts.binary_location = os.environ["CHROMIUM"]
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=opts, service=service)


def state(driver):
    return driver.find_element(By.ID, "stickyviz").get_attribute("data-state") or ""


def wait_state(driver, pred, timeout=WAIT_S):
    end = time.monotonic() + timeout
    s = ""
    while time.monotonic() < end:
        s = state(driver)
        if pred(s):
            return s
        time.sleep(0.2)
    return s


def shot(driver):
    return Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")


def block_colours(img):
    """How many message colours fill at least MIN_BLOCK_PIXELS pixels."""
    counts = dict(img.getcolors(maxcolors=1 << 24) or [])
    inv = {c: n for n, c in counts.items()}
    return sum(1 for c in MESSAGE_COLOURS if inv.get(c, 0) >= MIN_BLOCK_PIXELS)


def wait_lanes(driver, timeout=WAIT_S):
    end = time.monotonic() + timeout
    img = None
    while time.monotonic() < end:
        img = shot(driver)
        if block_colours(img) >= 2:
            return img
        time.sleep(0.3)
    return img


def viewport(driver, width, height):
    """The page's own size (--window-size counts the window, not what the page gets)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def million_events(path, recordings):
    """gui_frame's 1,000,000 events (benches/gui_frame.rs): per 10-byte message a message, a
    write and a segment, and a 30-byte read every third message."""
    head = json.loads((recordings / "nagle-burst.json").read_bytes())
    head.pop("preset", None)
    with gzip.open(path, "wt", compresslevel=1) as z:
        z.write(json.dumps({k: v for k, v in head.items() if k not in ("events", "summary")})[:-1])
        z.write(', "events": [')
        n, i, first = 0, 0, True
        while n < 1_000_000:
            at, off = i, i * 10
            ev = [{"kind": "message", "at_us": at, "msg": i, "offset": off, "len": 10, "header_len": 0},
                  {"kind": "write", "start_us": None, "at_us": at, "msg": i, "offset": off, "len": 10,
                   "requested": None, "segs_out": i, "notsent": 0, "unacked": 0},
                  {"kind": "segment", "at_us": at, "offset": off, "len": 10, "packet": None}]
            if i % 3 == 0:
                ev.append({"kind": "read", "start_us": None, "at_us": at + 5, "offset": off, "len": 30,
                           "requested": 1024})
            for e in ev:
                z.write(("" if first else ",") + json.dumps(e))
                first = False
            n += len(ev)
            i += 1
        z.write('], "summary": ' + json.dumps(head["summary"]) + "}")


def budget(base, site, tmp, recordings):
    """docs/performance.md's browser figures: measured and printed, never asserted."""
    gz = lambda p: len(gzip.compress(p.read_bytes(), 9))
    first = ["index.html", "stickyviz.js", "stickyviz_bg.wasm", "fonts/cjk.otf", "lessons/slow-reader.json.gz"]
    sizes = {f: (gz(site / f) if not f.endswith(".gz") else (site / f).stat().st_size) for f in first}
    for f, n in sizes.items():
        print(f"budget: {f}: {n:,} B compressed")
    print(f"budget: first visit to a lesson: {sum(sizes.values()):,} B compressed in all")
    for run in range(3):
        driver = browser(1280, 800)
        try:
            driver.get(base + "index.html?lesson=slow-reader")
            t_first = t_lanes = None
            end = time.monotonic() + WAIT_S
            while time.monotonic() < end and t_lanes is None:
                st, now = driver.execute_script(
                    "const c = document.getElementById('stickyviz'); return [c.getAttribute('data-state'), performance.now()]")
                if st and t_first is None:
                    t_first = now
                if st and st.startswith("shown") and block_colours(shot(driver)) >= 2:
                    t_lanes = driver.execute_script("return performance.now()")
                time.sleep(0.05)
            print(f"budget: run {run + 1}: first frame {t_first:.0f} ms, lesson's lanes on screen by {t_lanes:.0f} ms after navigation")
        finally:
            driver.quit()
    t0 = time.monotonic()
    million_events(tmp / "t" / "million.json.gz", recordings)
    print(f"budget: million.json.gz written ({(tmp / 't' / 'million.json.gz').stat().st_size:,} B, {time.monotonic() - t0:.0f} s)")
    driver = browser(1280, 800)
    try:
        t0 = time.monotonic()
        driver.get(base + "index.html?url=t/million.json.gz")
        s = wait_state(driver, lambda s: s.startswith(("shown", "error")), timeout=600)
        print(f"budget: 1,000,000 events: {s} after {time.monotonic() - t0:.0f} s")
        driver.execute_script("document.getElementById('stickyviz').focus()")
        for label, keys in [("zoomed out, playing", "p")]:
            ActionChains(driver).send_keys(keys).perform()
            samples = []
            for _ in range(40):
                time.sleep(0.25)
                v = driver.find_element(By.ID, "stickyviz").get_attribute("data-frame-ms")
                if v:
                    samples.append(float(v))
            samples.sort()
            if samples:
                print(f"budget: 1,000,000 events, {label}: frame CPU median {samples[len(samples) // 2]:.2f} ms "
                      f"(min {samples[0]:.2f}, max {samples[-1]:.2f}, {len(samples)} samples)")
    finally:
        driver.quit()


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--shots", help="also save screenshots (en and zh, 1024x768 and 1280x800) here")
    ap.add_argument("--budget", action="store_true", help="only measure docs/performance.md's figures")
    args = ap.parse_args()
    site = pathlib.Path(args.site).resolve()
    repo = pathlib.Path(__file__).resolve().parent.parent
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="stickyviz-web-"))
    for entry in site.iterdir():
        (tmp / entry.name).symlink_to(entry)
    (tmp / "t").mkdir()
    want = hostile_files(tmp / "t", repo / "docs" / "recordings")
    httpd = serve(tmp)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    if args.budget:
        try:
            budget(base, site, tmp, repo / "docs" / "recordings")
        finally:
            httpd.shutdown()
            shutil.rmtree(tmp, ignore_errors=True)
        return
    driver = browser(1280, 800)
    try:
        # a lesson by name: its lanes in their colours, and no console error
        t0 = time.monotonic()
        driver.get(base + "index.html?lesson=slow-reader")
        s = wait_state(driver, lambda s: s.startswith(("shown", "error")))
        check("?lesson=slow-reader opens its recording", s == "shown: slow-reader.json.gz", s)
        img = wait_lanes(driver)
        check("the canvas shows the lanes' colours", block_colours(img) >= 2, f"{block_colours(img)} colours")
        print(f"     (lanes drawn {time.monotonic() - t0:.1f} s after navigation)")
        errors = console_errors(driver)
        check("no console errors", not errors, "; ".join(errors[:3]))

        # keyboard: a step (→) and play (P) change the picture
        # the keys go to the canvas, as after a click on it
        driver.execute_script("document.getElementById('stickyviz').focus()")
        before = shot(driver)
        ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        time.sleep(1.0)
        stepped = shot(driver)
        check("→ steps: the picture changes", stepped.tobytes() != before.tobytes())
        ActionChains(driver).send_keys(Keys.HOME).send_keys("p").perform()
        time.sleep(2.0)
        played = shot(driver)
        check("P plays: the picture changes", played.tobytes() != stepped.tobytes())

        # any recording by URL, plain and gzip
        for name in ["good.json", "good.json.gz"]:
            driver.get(base + "index.html?url=t/" + name)
            s = wait_state(driver, lambda s: s.startswith(("shown", "error")))
            check(f"?url=t/{name} opens", s == f"shown: {name}", s)
            img = wait_lanes(driver)
            check(f"?url=t/{name} draws the lanes", block_colours(img) >= 2)

        # hostile files: the desktop's error on screen, and the page lives on
        for name, fragment in want.items():
            if fragment is None:
                continue
            driver.get(base + "index.html?url=t/" + urllib.parse.quote(name))
            s = wait_state(driver, lambda s: s.startswith(("shown", "error")))
            check(f"{name}: its error is shown", s.startswith("error") and fragment in s, s)
            errors = console_errors(driver)
            check(f"{name}: no panic, no console error", not errors, "; ".join(errors[:2]))
        # the same tab opens a good lesson after the last hostile file
        driver.execute_script("window.history.replaceState(null, '', 'index.html?lesson=echo')")
        driver.refresh()
        s = wait_state(driver, lambda s: s.startswith(("shown", "error")))
        check("after the hostile files the tab opens a lesson", s == "shown: echo.json.gz", s)
        # 中文: the bundled CJK subset draws the Chinese words. Forced: the same page with the
        # font blocked draws them otherwise (egui's boxes); with it, no request for it fails.
        def zh_top_bar(block_font):
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*cjk.otf"] if block_font else []})
            driver.get(base + "index.html?lesson=slow-reader&lang=zh")
            wait_state(driver, lambda s: s.startswith(("shown", "error")))
            wait_lanes(driver)
            time.sleep(2.0)  # the font arrives after the first frame
            img = shot(driver)
            return img.crop((0, 0, img.width, 40)).tobytes()
        without = zh_top_bar(True)
        console_errors(driver)  # the blocked font's failed request is this check's own
        with_font = zh_top_bar(False)
        check("中文 is drawn with the bundled font (differs from the page without it)", with_font != without)
        errors = console_errors(driver)
        check("the CJK font loads without a console error", not errors, "; ".join(errors[:2]))

        driver.get(base + "index.html?lesson=no-such-lesson")
        s = wait_state(driver, lambda s: s.startswith(("shown", "error")))
        check("an unknown lesson is named", s.startswith("error") and "no-such-lesson" in s, s)
        driver.get(base + "index.html?url=t/missing.json")
        s = wait_state(driver, lambda s: s.startswith(("shown", "error")))
        check("a missing URL says HTTP 404", s.startswith("error") and "404" in s, s)

        if args.shots:
            out = pathlib.Path(args.shots)
            out.mkdir(parents=True, exist_ok=True)
            for w, h in [(1024, 768), (1280, 800)]:
                viewport(driver, w, h)
                for lang in ["en", "zh"]:
                    driver.get(base + f"index.html?lesson=slow-reader&lang={lang}")
                    wait_state(driver, lambda s: s.startswith(("shown", "error")))
                    wait_lanes(driver)
                    time.sleep(1.5)  # the CJK font arrives after the first frame
                    shot(driver).save(out / f"slow-reader.{lang}.{w}x{h}.png")
                driver.get(base + "index.html?lang=zh")
                time.sleep(3)
                shot(driver).save(out / f"index.zh.{w}x{h}.png")
    finally:
        driver.quit()
        httpd.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} browser check(s) failed: " + ", ".join(failures))
        sys.exit(1)
    print("browser checks passed")


if __name__ == "__main__":
    main()
