-- Added by hand: the one global sequence of resource versions (etcd-style: every write to any
-- resource takes the next number). Prisma does not manage standalone sequences.
CREATE SEQUENCE "ResourceVersion_seq" AS BIGINT START WITH 1;

-- CreateEnum
CREATE TYPE "ResourceOperation" AS ENUM ('create', 'update', 'delete', 'revert');

-- CreateTable
CREATE TABLE "Resource" (
    "id" UUID NOT NULL,
    "kind" VARCHAR(64) NOT NULL,
    "namespace" VARCHAR(63),
    "name" VARCHAR(253) NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "spec" JSONB NOT NULL,
    "resourceVersion" BIGINT NOT NULL,
    "revision" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceRevision" (
    "id" UUID NOT NULL,
    "resourceId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "resourceVersion" BIGINT NOT NULL,
    "operation" "ResourceOperation" NOT NULL,
    "message" VARCHAR(1024) NOT NULL DEFAULT '',
    "actorType" "ActorType" NOT NULL,
    "actorId" VARCHAR(64),
    "actorName" VARCHAR(128) NOT NULL DEFAULT '',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "spec" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResourceRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
-- Edited by hand: NULLS NOT DISTINCT makes cluster-scoped resources (namespace NULL) unique per
-- (kind, name) too. Prisma does not model the clause and sees the same index, so no drift.
CREATE UNIQUE INDEX "Resource_kind_namespace_name_key" ON "Resource"("kind", "namespace", "name") NULLS NOT DISTINCT;

-- CreateIndex
CREATE UNIQUE INDEX "ResourceRevision_resourceId_revision_key" ON "ResourceRevision"("resourceId", "revision");

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_namespace_fkey" FOREIGN KEY ("namespace") REFERENCES "Namespace"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceRevision" ADD CONSTRAINT "ResourceRevision_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
