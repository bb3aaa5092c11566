# syntax=docker/dockerfile:1
# The Askara emulator as a container (SPEC §12): built with the dev dependencies, run with the
# production ones only, as the unprivileged `node` user, with its SQLite database in /data.
#   docker build -t askara-emulator .
#   docker run --rm -p 8080:8080 -e ISSUER=http://localhost:8080 -v askara-data:/data askara-emulator

FROM node:20-slim AS base
WORKDIR /app
# better-sqlite3 and argon2 come with prebuilt binaries; the compilers are only a fallback for a
# platform without one, and never reach the final image
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

FROM base AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM base AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-slim AS runtime
WORKDIR /app
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_PATH=/data/askara.sqlite
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY views ./views
COPY public ./public
COPY migrations ./migrations
# a named volume mounted here starts with the image's ownership, so `node` can write the database
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# node, not curl: the slim image has no curl
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/healthcheck.js"]
# a young generation of 4 MiB per semispace and a 256 MiB old generation (the live heap is about
# 25 MiB): V8 otherwise sizes the heap for the machine and lets garbage pile up, and peak RSS
# under load is about 170 MiB instead of 110 (README, "Memory"); npm start uses the same flags
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "dist/askara-emulator.mjs"]
