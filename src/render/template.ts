// `{{name}}` substitution. Unknown names are an error, so a template can never ship
// with a hole in it.
export type TemplateVars = Record<string, string>;

export function renderTemplate(name: string, text: string, vars: TemplateVars): string {
  const missing = new Set<string>();
  const out = text.replace(/\{\{([A-Za-z0-9_.-]+)\}\}/g, (_, key: string) => {
    const v = vars[key];
    if (v === undefined) {
      missing.add(key);
      return '';
    }
    return v;
  });
  if (missing.size > 0) throw new Error(`template ${name} uses unknown variable(s): ${[...missing].join(', ')}`);
  return out;
}
