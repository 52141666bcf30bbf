export async function run(): Promise<number> {
  throw new Error('verify: not yet implemented');
}
