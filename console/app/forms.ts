/** A text field of a submitted form ('' when absent; the console has no file inputs). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
