// What the agent is told about the changes the user rejected: one text block that goes in
// front of the next prompt, so a rejection is never silently lost.
export interface Rejection {
  label: string;
  /** Unified-diff text of the rejected hunk, or undefined when a created file was deleted. */
  patch?: string;
}

export function rejectionReport(rejections: readonly Rejection[]): string | undefined {
  if (rejections.length === 0) return undefined;
  const parts = rejections.map((r) => (r.patch ? `${r.label}:\n\`\`\`diff\n${r.patch}\n\`\`\`` : `${r.label}: the user deleted this file you created.`));
  return [
    '[Review] The user rejected these changes you made; they have been reverted on disk (the file now has its previous text there). Do not reapply them unless the user asks; if they matter, say why.',
    ...parts,
  ].join('\n\n');
}
