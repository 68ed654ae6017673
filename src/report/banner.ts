// Ansible's section headers: `PLAY [web] *****...`, padded with stars to a fixed width.

const WIDTH = 80;

export function banner(title: string): string {
  return `${title} ${'*'.repeat(Math.max(3, WIDTH - title.length - 1))}`;
}
