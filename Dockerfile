# capsim as a container image: the image docs/k8s-sweep-job.yaml runs.
#
#   docker build -t registry.example.com/capsim:0.1.0 .
#   docker run --rm -v "$PWD:/work" registry.example.com/capsim:0.1.0 run models/incident/01-uwsgi-2-workers.yaml
#
# The entry point is capsim itself: the container's arguments are capsim's (run, sweep, merge, …),
# and its working directory /work is where relative model paths and out/ resolve. Dependencies
# are exactly the lockfile's (npm ci); the build (tsc, the bundles, the V8 code cache) runs in a
# first stage, and the image keeps only the runtime dependencies.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The lockfile first, so the dependencies are a layer of their own, rebuilt only when it changes.
# --ignore-scripts: the package's own prepare (the build) needs the sources, copied next.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# The PNG charts are rendered with system fonts (src/report/charts/render.ts asks for DejaVu Sans).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
RUN ln -s /app/bin/capsim.js /usr/local/bin/capsim
USER node
WORKDIR /work
ENTRYPOINT ["capsim"]
CMD ["--help"]
