const htmlEntities: Readonly<Record<string, string>> = { '&amp;': '&', '&quot;': '"', '&#x27;': "'", '&#39;': "'", '&lt;': '<', '&gt;': '>', '&#x3D;': '=', '&#x60;': '`' };

/**
 * Every http(s) link of a mail, in order of appearance and without repeats: the `href`s of the
 * HTML part and the URLs of the text part. `first` (the token link) leads when given.
 */
export function findLinks(html: string, text: string, first: string | null): string[] {
  const hrefs = [...html.matchAll(/\shref\s*=\s*"([^"]*)"/gi)].map((match) => decodeEntities(match[1] ?? ''));
  // A URL in running text may be followed by punctuation that is not part of it.
  const urls = [...text.matchAll(/https?:\/\/[^\s<>"]+/g)].map((match) => match[0].replace(/[.,;:!?'")\]]+$/, ''));
  const links = [...(first === null ? [] : [first]), ...hrefs, ...urls].filter((link) => /^https?:\/\//i.test(link));
  return [...new Set(links)];
}

function decodeEntities(value: string): string {
  return value.replace(/&(?:amp|quot|#x27|#39|lt|gt|#x3D|#x60);/g, (entity) => htmlEntities[entity] ?? entity);
}
