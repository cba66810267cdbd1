# drugbot in a container: the drug store is built into the image; the community store lives on the
# /data volume; GET /healthz on 127.0.0.1:8080 is the health check; SIGTERM closes the bot cleanly.
#   docker build -t drugbot .
#   docker run -d --env-file .env -v drugbot-data:/data drugbot

# The full image has the C compiler that builds the chat screen (bot/knowledge/_chatwords.c).
FROM python:3.11 AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY data ./data
# An editable install keeps the project root (data/, build/) where the code expects it.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install -e . \
    && /opt/venv/bin/drugbot data build --output /app/build/drugs.sqlite3

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 drugbot \
    && mkdir /data \
    && chown drugbot:drugbot /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DRUG_STORE_PATH=/app/build/drugs.sqlite3 \
    COMMUNITY_STORE_PATH=/data/community.sqlite3 \
    HEALTH_PORT=8080
VOLUME ["/data"]
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"]
STOPSIGNAL SIGTERM
CMD ["drugbot", "run"]
