// What a failed `vagrant/lab.sh` exit code means for the user, and what to do about it.
// The codes are documented at the top of vagrant/lab.sh.

import { ProvisionError } from '../core/errors.js';

export type LabSubcommand = 'up' | 'down' | 'status';

/** The lab could not be started, stopped or queried on this machine. */
export class LabError extends ProvisionError {
  constructor(
    readonly subcommand: LabSubcommand,
    readonly scriptExitCode: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const HINTS: Record<number, string> = {
  2: 'lab.sh was called with a wrong subcommand (this is a bug in provision)',
  10: 'the lxc lab needs root: run `sudo provision lab up`, or install VirtualBox (or libvirt with vagrant-libvirt) to use VMs',
  11: 'no Vagrant provider is usable here: on Linux run as root for the lxc lab; elsewhere install VirtualBox and Vagrant',
  12: 'installing the lab tools with apt-get failed: check that apt-get works (`apt-get update`), then run it again',
  13: 'building the Debian 12 box failed: check that debootstrap can reach the mirror of /etc/apt/sources.list.d/, then run it again',
  14: 'setting up the lab bridges or NAT failed (see the messages above); `provision lab down` then `provision lab up` starts clean',
  15: '`vagrant up` failed (see above); `provision lab down` then `provision lab up` starts clean',
  16: 'the guests did not answer over SSH with systemd running; `provision lab status` shows which, `provision lab down && provision lab up` re-creates them',
  17: 'the lab is not (fully) running: start it with `provision lab up`',
  18: "the lab's ACME server (pebble, vagrant/acme.sh) did not start: see its log in /var/lib/provision/lab/acme/, then run `provision lab up` again",
};

export function labFailure(subcommand: LabSubcommand, code: number | undefined, signal?: string): LabError {
  if (code === undefined) {
    return new LabError(subcommand, code, `lab ${subcommand} was interrupted${signal ? ` by ${signal}` : ''}`);
  }
  const hint = HINTS[code] ?? 'see the messages above';
  return new LabError(subcommand, code, `lab ${subcommand} failed (lab.sh exit code ${code}): ${hint}`);
}
