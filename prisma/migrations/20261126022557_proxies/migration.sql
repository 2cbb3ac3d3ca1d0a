-- CreateTable
CREATE TABLE "Proxy" (
    "id" VARCHAR(128) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "service" VARCHAR(63) NOT NULL,
    "version" VARCHAR(63) NOT NULL,
    "address" VARCHAR(253) NOT NULL,
    "inboundPort" INTEGER NOT NULL,
    "ports" JSONB,
    "dependencies" JSONB,
    "registeredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "replica" VARCHAR(128),
    "connectedSince" TIMESTAMPTZ(3),
    "versionSent" VARCHAR(128),
    "sentAt" TIMESTAMPTZ(3),
    "versionAcked" VARCHAR(128),
    "ackedAt" TIMESTAMPTZ(3),
    "pushLatencyMs" INTEGER,
    "nackVersion" VARCHAR(128),
    "nackError" VARCHAR(4096),
    "nackAt" TIMESTAMPTZ(3),

    CONSTRAINT "Proxy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Proxy_namespace_service_idx" ON "Proxy"("namespace", "service");

-- CreateIndex
CREATE INDEX "Proxy_lastSeenAt_idx" ON "Proxy"("lastSeenAt");
