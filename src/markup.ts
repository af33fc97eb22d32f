/** Text and attribute values for the SVG and HTML this library writes (overlays, reports): `&`, `<`, `>`, `"` escaped. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
