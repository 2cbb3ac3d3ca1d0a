/** Runs once when the Next server starts; the Node.js part lives in instrumentation-node.ts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkServerEnv } = await import('./instrumentation-node');
    checkServerEnv();
  }
}
