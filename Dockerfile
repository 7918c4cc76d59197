# syntax=docker/dockerfile:1
# meshbot's image: `docker build -t meshbot:0.1.0 .`, then `docker run meshbot:0.1.0` runs `meshbot serve`.
# Three stages: the build (TypeScript → dist/, with the dev dependencies), the production dependencies alone,
# and the runtime image, which holds only those dependencies and dist/. It runs as uid 1000 (the image's
# `node` user) on a read-only root filesystem: meshbot writes nothing to disk. test/deploy/dockerfile.test.ts
# lints this file and runs the runtime stage's steps outside Docker.

# Node 24 LTS, exact version (the same as scripts/test-node-versions.sh tests on).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build is the next step.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the process.
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 1000:1000
# /healthz, /readyz, /metrics, and /slack/events in HTTP mode (PORT).
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["serve"]
