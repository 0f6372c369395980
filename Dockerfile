# syntax=docker/dockerfile:1
# waplug's image: docs/deployment.md says how to build and run it, and what of it is tested.

# Build stage: the TypeScript compiler and the other dev dependencies live only here.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: this stage only compiles; the runtime stage installs (and patches) its own dependencies.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY plugins ./plugins
COPY cli ./cli
COPY emulator ./emulator
RUN npm run build

# Runtime stage: production dependencies only, with waplug's patches to Baileys and libsignal applied.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=7001 \
    LOG_PRETTY=false
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/apply-patches.mjs scripts/prepare.mjs ./scripts/
COPY patches ./patches
# postinstall applies patches/ (and fails the build if one does not fit); prepare skips the build without TypeScript.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config/default.json ./config/default.json
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 7001
# /health answers while the process serves HTTP, whether or not WhatsApp is paired yet.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7001) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and waplug stops cleanly on SIGTERM (docker stop) and SIGINT; it starts no child processes to reap.
STOPSIGNAL SIGTERM
CMD ["node", "dist/cli/main.js", "start"]
