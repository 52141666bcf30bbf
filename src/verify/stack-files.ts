// Lazily parsed files of a stack directory, shared by all static checks.
// (Filled in by the verify engine.)
export interface StackFiles {
  dir: string;
}
