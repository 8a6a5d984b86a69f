FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY cicero cicero
COPY bot bot
COPY conversations conversations
COPY menus menus
COPY storage storage
COPY jobs jobs
COPY web web
COPY demo demo
RUN pip install --no-cache-dir .
ENV WEB_HOST=0.0.0.0 CICERO_HOME=/data
CMD ["cicero", "web"]
