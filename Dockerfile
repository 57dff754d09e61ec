# otterhelm's service image: `otterhelm serve` on port 8080 (Connect, gRPC and gRPC-Web).
# Mount a configuration at /etc/otterhelm/otterhelm.yaml (see README "Configuration");
# in a pod, a scope with `in_cluster: true` uses the pod's service account.
FROM python:3.11-slim AS build
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
COPY gen ./gen
# Wheels for otterhelm and its pinned runtime dependencies only (no dev tools).
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --no-create-home otterhelm
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir --no-index --find-links /wheels otterhelm && rm -rf /wheels
USER 10001
EXPOSE 8080
ENTRYPOINT ["otterhelm"]
CMD ["serve", "--config", "/etc/otterhelm/otterhelm.yaml", "--listen", "0.0.0.0:8080"]
