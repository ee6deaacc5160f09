# syntax=docker/dockerfile:1
# Build: docker build -t carepool .
# Run:   docker run -p 8080:8080 -v carepool-data:/data carepool
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/carepool ./cmd/carepool \
 && mkdir -p /out/data

# A static binary on distroless: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/carepool /usr/local/bin/carepool
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV ADDR=0.0.0.0:8080 \
    METRICS_ADDR=0.0.0.0:9091 \
    DATA_DIR=/data
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080 9091
ENTRYPOINT ["/usr/local/bin/carepool"]
CMD ["serve"]
