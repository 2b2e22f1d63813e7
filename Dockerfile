# Bureau: web app build → Go build (cgo for SQLite) → slim runtime.
# docker build -t bureau . && docker run -p 8080:8080 -v bureau-data:/data bureau

FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist ./frontend/dist
ARG VERSION=docker
RUN CGO_ENABLED=1 go build -trimpath \
      -tags 'netgo osusergo sqlite_omit_load_extension' \
      -ldflags "-s -w -X main.version=${VERSION} -extldflags '-static'" \
      -o /out/bureau . && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bureau /usr/local/bin/bureau
COPY --from=build --chown=65532:65532 /out/data /data
ENV BUREAU_DATA_DIR=/data \
    BUREAU_LISTEN=:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/bureau", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/bureau"]
CMD ["serve"]
