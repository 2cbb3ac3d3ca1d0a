-- CreateTable
CREATE TABLE "TrafficRollup" (
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "direction" VARCHAR(8) NOT NULL,
    "sourceNamespace" VARCHAR(63) NOT NULL,
    "sourceService" VARCHAR(63) NOT NULL,
    "sourceVersion" VARCHAR(63) NOT NULL,
    "destNamespace" VARCHAR(63) NOT NULL,
    "destService" VARCHAR(63) NOT NULL,
    "destVersion" VARCHAR(63) NOT NULL,
    "mtls" BOOLEAN NOT NULL,
    "requests" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "latencyCounts" BIGINT[],
    "latencySumMs" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "TrafficRollup_pkey" PRIMARY KEY ("minute","direction","sourceNamespace","sourceService","sourceVersion","destNamespace","destService","destVersion","mtls")
);

-- CreateIndex
CREATE INDEX "TrafficRollup_destNamespace_minute_idx" ON "TrafficRollup"("destNamespace", "minute");

-- CreateIndex
CREATE INDEX "TrafficRollup_minute_idx" ON "TrafficRollup"("minute");
