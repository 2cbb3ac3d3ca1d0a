-- CreateIndex
CREATE INDEX "ResourceRevision_createdAt_id_idx" ON "ResourceRevision"("createdAt", "id");
