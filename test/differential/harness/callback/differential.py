# The differential test's stdout callback: one JSON line per task-level result (loop items are
# reported separately by ansible and ignored here), in the order results arrive. Written for the
# test only, so it needs no collection beyond ansible-core.
from __future__ import annotations

import json
import sys

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: differential
    type: stdout
    short_description: task statuses as JSON lines, for provision's differential test
    description: One line per task-level result with the host, the action and the status.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'differential'

    def _emit(self, result, status):
        line = {'host': result._host.get_name(), 'action': result._task.action, 'status': status}
        if status == 'failed':
            line['msg'] = str(result._result.get('msg', ''))[:300]
        sys.stdout.write(json.dumps(line) + '\n')
        sys.stdout.flush()

    def v2_runner_on_ok(self, result):
        self._emit(result, 'changed' if result._result.get('changed', False) else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._emit(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._emit(result, 'unreachable')
