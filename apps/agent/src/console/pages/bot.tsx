import type { PageProps } from '../sections.js';

/** Placeholder until this page is built. */
export default function Page(_props: PageProps) {
  return <p>This page is being built.</p>;
}
