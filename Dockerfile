# One image for every deployable; each Kubernetes Deployment picks its process with
# `command:` (python -m services.member | services.points | services.campaign | gateway).
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY requirements.in requirements.txt ./
# The image gets the runtime section of requirements.in only, at the versions
# requirements.txt pins: the local stack's servers and the build, lint, test and
# manifest tools stay out. grpcio-tools gets a venv of its own that stays in this stage.
RUN sed -n '/^# runtime$/,/^$/p' requirements.in | grep -v '^#' > requirements.image.txt \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install -r requirements.image.txt -c requirements.txt \
 && python -m venv /opt/protoc \
 && /opt/protoc/bin/pip install -c requirements.txt grpcio-tools
COPY protos ./protos
RUN mkdir gen \
 && /opt/protoc/bin/python -m grpc_tools.protoc -I protos \
        --python_out=gen --grpc_python_out=gen $(find protos -name '*.proto')

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app:/app/gen \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN groupadd --system --gid 10001 loyalty \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin loyalty
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/gen ./gen
COPY libs ./libs
COPY services ./services
COPY gateway ./gateway
# Numeric, so the kubelet can verify runAsNonRoot without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000 50051 50052 50053 9464
CMD ["python", "-m", "gateway"]
