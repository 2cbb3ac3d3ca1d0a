-- CreateTable
CREATE TABLE "Span" (
    "id" BIGSERIAL NOT NULL,
    "traceId" CHAR(32) NOT NULL,
    "spanId" CHAR(16) NOT NULL,
    "parentSpanId" CHAR(16),
    "direction" VARCHAR(8) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "service" VARCHAR(63) NOT NULL,
    "version" VARCHAR(63) NOT NULL,
    "peerNamespace" VARCHAR(63),
    "peerService" VARCHAR(63),
    "peerVersion" VARCHAR(63),
    "route" VARCHAR(256) NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "status" INTEGER NOT NULL,
    "startAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "reason" VARCHAR(128),
    "proxyId" VARCHAR(128) NOT NULL,

    CONSTRAINT "Span_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Span_namespace_service_startAt_idx" ON "Span"("namespace", "service", "startAt" DESC);

-- CreateIndex
CREATE INDEX "Span_namespace_startAt_idx" ON "Span"("namespace", "startAt" DESC);

-- CreateIndex
CREATE INDEX "Span_startAt_idx" ON "Span"("startAt");

-- CreateIndex
CREATE UNIQUE INDEX "Span_traceId_spanId_direction_key" ON "Span"("traceId", "spanId", "direction");
