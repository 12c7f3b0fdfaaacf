"""Clicks through `smithlog serve` in headless Chromium (Debian's, through Debian's chromedriver).

leaderboard -> result -> lineage -> SFT set -> run -> trajectory (j/k, #step=N) -> step, then a comparison and
its side-by-side view, a checkpoint's training curve, and the inference trajectories of an instance two results
flip. Fails on any console error or failed request (Chromium logs both as SEVERE). Saves a
screenshot of each page into the folder given.

    suite.py BASE_URL SCREENSHOT_DIR [EXPORT_DIR]

With EXPORT_DIR (`smithlog serve --export`'s folder), also opens it from disk and clicks to a comparison.
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

base, shots = sys.argv[1].rstrip("/"), sys.argv[2]
exported = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(shots, exist_ok=True)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 10)
failures = []
count = 0


def check(name):
    """Screenshot the page and fail on any console error or failed request logged since the last check."""
    global count
    count += 1
    path = os.path.join(shots, "%02d-%s.png" % (count, name))
    driver.save_screenshot(path)
    for entry in driver.get_log("browser"):
        if entry["level"] in ("SEVERE", "ERROR"):
            failures.append("%s: %s" % (name, entry["message"]))
    print("ok   %-22s %s" % (name, driver.current_url))


def click(css):
    el = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    # An <a> inside the lineage SVG is clicked as the browser would: a click event on the link.
    driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));", el)


def wait_path(prefix):
    wait.until(lambda d: d.current_url.startswith(base + prefix))


try:
    driver.get(base + "/")
    check("home")
    click('a[href="/leaderboard"]')
    wait_path("/leaderboard")
    click('a[href^="/leaderboard/"]')
    wait_path("/leaderboard/")
    assert driver.find_element(By.ID, "leaderboard"), "no leaderboard table"
    assert driver.find_elements(By.CSS_SELECTOR, '#leaderboard a[href^="/sft/"]'), "no SFT set link in the lineage columns"
    assert driver.find_elements(By.CSS_SELECTOR, '#leaderboard a[href^="/runs/sample-run@"]'), "no trajectory run link"
    check("leaderboard")
    click('#leaderboard a[href^="/runs/qwen-7b-sample-verified"]')
    wait_path("/runs/qwen-7b-sample-verified")
    check("result")
    click('a[href^="/lineage/bench/"]')
    wait_path("/lineage/bench/")
    assert driver.find_elements(By.CSS_SELECTOR, "svg.lineage rect"), "no lineage graph"
    check("lineage")
    click('svg.lineage a[href^="/sft/"]')
    wait_path("/sft/")
    check("sft-set")
    click('dl.facts a[href^="/runs/sample-run@"]')
    wait_path("/runs/sample-run@")
    check("run")
    click('#instances a[href^="/runs/sample-run@1/pandas-dev__pandas.95280573.pr_53652"]')
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".step")))
    check("trajectory")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys("j")
    wait.until(lambda d: "step=2" in d.current_url)
    assert driver.find_element(By.CSS_SELECTOR, ".step.current").get_attribute("data-step") == "2"
    body.send_keys("k")
    wait.until(lambda d: "step=1" in d.current_url)
    check("trajectory-keys")
    click("#toggle-query")
    wait.until(lambda d: "show-query" in d.find_element(By.TAG_NAME, "body").get_attribute("class"))
    check("model-view")
    before = driver.current_url
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("l")
    wait.until(lambda d: d.current_url.split("#")[0] != before.split("#")[0])
    check("next-instance")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("h")
    wait.until(lambda d: "pr_53652" in d.current_url)
    click('.step[data-step="2"] h3 a')
    wait.until(lambda d: "step=2" in d.current_url)
    check("step")
    driver.get(base + "/runs/sample-run/pandas-dev__pandas.95280573.pr_53652#step=3")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '.step.current[data-step="3"]'))
    check("step-link")
    # Lazy loading: a 1 MB, 150-step trajectory's first response holds its first steps; j past them fetches more, and
    # a #step=N link to a step not sent yet loads until it is there.
    driver.get(base + "/runs/big-run/pandas-dev__pandas.95280573.pr_53652")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".step")))
    first = len(driver.find_elements(By.CSS_SELECTOR, ".step"))
    total = int(driver.find_element(By.XPATH, "//dt[text()='steps']/following-sibling::dd").text)
    assert first < total, "the first response held all %d steps" % total
    check("large-trajectory")
    body = driver.find_element(By.TAG_NAME, "body")
    for _ in range(first + 1):
        body.send_keys("j")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".step")) > first)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '.step.current[data-step="%d"]' % (first + 1)))
    check("lazy-steps")
    driver.get(base + "/runs/big-run/pandas-dev__pandas.95280573.pr_53652#step=%d" % total)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '.step.current[data-step="%d"]' % total))
    check("lazy-step-link")
    driver.get(base + "/compare?a=sample-run&b=sample-run-b&show=all")
    assert driver.find_element(By.ID, "two-by-two")
    check("compare")
    click('#compare-instances a[href^="/compare/trajectories"]')
    wait_path("/compare/trajectories")
    assert driver.find_element(By.ID, "side-by-side")
    check("side-by-side")
    driver.get(base + "/compare?a=qwen-7b-sample-verified&b=mini-qwen2.5-coder-32b-verified")
    check("compare-results")
    # Training curve: the leaderboard's checkpoint link, then a checkpoint with a DiskLogger curve (7 metrics).
    driver.get(base + "/leaderboard/swe-bench_verified")
    click('#leaderboard a[href^="/checkpoints/qwen-7b-sample"]')
    wait_path("/checkpoints/qwen-7b-sample")
    check("checkpoint")
    driver.get(base + "/checkpoints/full_ft_qwen_7b-epoch2")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 7, "%d training-curve charts, want 7" % len(charts)
    check("training-curve")
    # Two results of inference runs: the flipped instance opens both inference trajectories side by side.
    driver.get(base + "/compare?a=res-a&b=res-b")
    click('#compare-instances a[href^="/compare/trajectories?a=inf-a"]')
    wait_path("/compare/trajectories")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#side-by-side .step")) > 0, "no steps side by side"
    check("flip-side-by-side")
    driver.get(base + "/instances/pandas-dev__pandas.95280573.pr_53652")
    check("instance")
    driver.get(base + "/log")
    click('#events a[href^="/log/"]')
    wait_path("/log/")
    check("event")
    if exported:
        # The static export opened from disk (no server): relative links from the start page to a comparison with a
        # query string, and on from it.
        driver.get("file://" + os.path.abspath(exported) + "/index.html")
        check("export-home")
        click('a[href="./leaderboard/index.html"]')
        wait.until(lambda d: d.current_url.endswith("/leaderboard/index.html"))
        click('a[href^="../leaderboard/swe-bench_verified"]')
        wait.until(lambda d: "/leaderboard/swe-bench_verified/" in d.current_url)
        assert driver.find_element(By.ID, "leaderboard")
        check("export-leaderboard")
        click('#leaderboard a[href^="../../compare/q-"]')
        wait.until(lambda d: "/compare/q-" in d.current_url)
        assert driver.find_element(By.ID, "two-by-two")
        check("export-compare")
        click('#compare-instances a[href*="/instances/"]')
        wait.until(lambda d: "/instances/" in d.current_url and d.current_url.endswith("/index.html"))
        check("export-instance")
except Exception as e:  # noqa: BLE001 - any failure of the walk is the suite's failure
    failures.append("%s at %s: %s" % (type(e).__name__, driver.current_url, e))
    driver.save_screenshot(os.path.join(shots, "failure.png"))
finally:
    driver.quit()

print("screenshots: %s" % os.path.abspath(shots))
for f in failures:
    print("FAIL " + f)
print("%d passed, %d failed" % (count, len(failures)))
sys.exit(1 if failures else 0)
