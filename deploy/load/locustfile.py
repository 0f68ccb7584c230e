"""Load scenario for a running tweets deployment, for Locust
(https://locust.io; Debian's python3-locust or `pip install locust`).

    locust -f deploy/load/locustfile.py --host https://tweets.example.com

then open http://localhost:8089, or headless:

    locust -f deploy/load/locustfile.py --host https://tweets.example.com \
        --headless --users 50 --spawn-rate 5 --run-time 5m --csv tweets-load

The pages are those of `make bench`: GET / (the timeline) beside GET /healthz
(the cheapest response, the yardstick), plus what makes a timeline change:
members who log in and post. Visitors outnumber members three to one.

Settings (environment):
    TWEETS_LOAD_USERNAME, TWEETS_LOAD_PASSWORD  an account for the members
        (default demo / demo12345, the demo account of a development server;
        on a real site create a dedicated account, and delete its tweets
        afterwards)
    TWEETS_LOAD_POST_WEIGHT  how often a member posts against reading the
        timeline ten times (default 1; 0: members only read)

Posting is rate limited (nginx allows 30 posts a minute per client address,
the application its own): a 429 is counted under "POST /tweets (rate
limited)" as a success, since the limit works as designed; any other
failure counts as one.
"""

import os
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrf" value="([^"]*)"')
USERNAME = os.environ.get("TWEETS_LOAD_USERNAME", "demo")
PASSWORD = os.environ.get("TWEETS_LOAD_PASSWORD", "demo12345")
POST_WEIGHT = int(os.environ.get("TWEETS_LOAD_POST_WEIGHT", "1"))


class Visitor(HttpUser):
    """Someone reading without an account."""

    weight = 3
    wait_time = between(1, 3)

    @task(10)
    def timeline(self):
        self.client.get("/", name="GET /")

    @task(1)
    def health(self):
        self.client.get("/healthz", name="GET /healthz")


class Member(HttpUser):
    """A logged-in account: reads its timeline, sometimes posts."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.csrf = ""
        page = self.client.get("/login", name="GET /login")
        self.csrf = self.find_csrf(page.text)
        with self.client.post("/login", name="POST /login", allow_redirects=False, catch_response=True,
                              data={"csrf": self.csrf, "username": USERNAME, "password": PASSWORD}) as resp:
            if resp.status_code != 303:
                resp.failure("log-in as %s answered %d (TWEETS_LOAD_USERNAME/PASSWORD)" % (USERNAME, resp.status_code))

    @staticmethod
    def find_csrf(html):
        m = CSRF.search(html or "")
        return m.group(1) if m else ""

    @task(10)
    def timeline(self):
        resp = self.client.get("/", name="GET / (logged in)")
        self.csrf = self.find_csrf(resp.text) or self.csrf

    @task(POST_WEIGHT)
    def post(self):
        with self.client.post("/tweets", name="POST /tweets", allow_redirects=False, catch_response=True,
                              data={"csrf": self.csrf, "text": "Load test tweet from Locust."}) as resp:
            if resp.status_code == 429:
                resp.request_meta["name"] = "POST /tweets (rate limited)"
                resp.success()
            elif resp.status_code != 303:
                resp.failure("posting answered %d" % resp.status_code)
