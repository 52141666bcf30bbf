export async function run(): Promise<number> {
  throw new Error('init: not yet implemented');
}
