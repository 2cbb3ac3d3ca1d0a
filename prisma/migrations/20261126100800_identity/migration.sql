-- CreateEnum
CREATE TYPE "CaState" AS ENUM ('PENDING', 'ACTIVE', 'RETIRING', 'RETIRED');

-- CreateEnum
CREATE TYPE "CertificateCredential" AS ENUM ('join_token', 'api_token', 'proof');

-- CreateTable
CREATE TABLE "CertificateAuthority" (
    "id" UUID NOT NULL,
    "trustDomain" VARCHAR(255) NOT NULL,
    "state" "CaState" NOT NULL,
    "rootPem" TEXT NOT NULL,
    "intermediatePem" TEXT NOT NULL,
    "sealedRootKey" TEXT NOT NULL,
    "sealedIntermediateKey" TEXT NOT NULL,
    "rootFingerprint" CHAR(64) NOT NULL,
    "intermediateFingerprint" CHAR(64) NOT NULL,
    "rootNotAfter" TIMESTAMPTZ(3) NOT NULL,
    "external" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CertificateAuthority_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JoinToken" (
    "id" UUID NOT NULL,
    "prefix" VARCHAR(32) NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "service" VARCHAR(63) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "maxUses" INTEGER NOT NULL DEFAULT 1,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdByName" VARCHAR(128) NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "JoinToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkloadCertificate" (
    "id" UUID NOT NULL,
    "serialNumber" VARCHAR(64) NOT NULL,
    "proxyId" VARCHAR(128) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "service" VARCHAR(63) NOT NULL,
    "spiffeId" VARCHAR(512) NOT NULL,
    "notBefore" TIMESTAMPTZ(3) NOT NULL,
    "notAfter" TIMESTAMPTZ(3) NOT NULL,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "credential" "CertificateCredential" NOT NULL,
    "caId" UUID NOT NULL,

    CONSTRAINT "WorkloadCertificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CertificateAuthority_state_idx" ON "CertificateAuthority"("state");

-- CreateIndex
CREATE UNIQUE INDEX "JoinToken_tokenHash_key" ON "JoinToken"("tokenHash");

-- CreateIndex
CREATE INDEX "JoinToken_namespace_createdAt_idx" ON "JoinToken"("namespace", "createdAt");

-- CreateIndex
CREATE INDEX "WorkloadCertificate_proxyId_issuedAt_idx" ON "WorkloadCertificate"("proxyId", "issuedAt" DESC);

-- CreateIndex
CREATE INDEX "WorkloadCertificate_namespace_issuedAt_idx" ON "WorkloadCertificate"("namespace", "issuedAt" DESC);

-- CreateIndex
CREATE INDEX "WorkloadCertificate_issuedAt_idx" ON "WorkloadCertificate"("issuedAt");

-- AddForeignKey
ALTER TABLE "WorkloadCertificate" ADD CONSTRAINT "WorkloadCertificate_caId_fkey" FOREIGN KEY ("caId") REFERENCES "CertificateAuthority"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
