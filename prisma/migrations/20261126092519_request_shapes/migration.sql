-- CreateTable
CREATE TABLE "RequestShape" (
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "shapeKey" CHAR(64) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "service" VARCHAR(63) NOT NULL,
    "principal" VARCHAR(512) NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "path" VARCHAR(1024) NOT NULL,
    "port" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "RequestShape_pkey" PRIMARY KEY ("minute","shapeKey")
);

-- CreateTable
CREATE TABLE "RequestShapeOverflow" (
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "service" VARCHAR(63) NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "RequestShapeOverflow_pkey" PRIMARY KEY ("minute","namespace","service")
);

-- CreateIndex
CREATE INDEX "RequestShape_namespace_service_minute_idx" ON "RequestShape"("namespace", "service", "minute");
