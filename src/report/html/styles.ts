// The report's stylesheet, inlined in the page (no external resource of any kind).

export const STYLES = `
:root{--ok:#2e7d32;--changed:#c77700;--failed:#c62828;--skipped:#607d8b;--unreachable:#8e24aa;--bg:#fff;--fg:#1c1c1c;--mute:#666;--line:#ddd;--soft:#f5f5f5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:12px 20px;background:#263238;color:#fff}
header h1{margin:0 0 4px;font-size:18px}
header .meta{font-size:12px;color:#cfd8dc;display:flex;flex-wrap:wrap;gap:4px 16px}
header code{color:#fff}
main{padding:0 20px 40px}
section{margin-top:18px}
h2{font-size:16px;margin:0 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h2 .n{color:var(--mute);font-weight:normal}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{margin:4px 0;padding:6px 8px;background:var(--soft);overflow:auto;max-height:480px;white-space:pre}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.controls{position:sticky;top:0;z-index:5;background:#fafafa;border-bottom:1px solid var(--line);padding:8px 20px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
.controls label{white-space:nowrap;cursor:pointer}
.controls select,.controls input[type=search]{font:inherit;padding:2px 4px}
.st{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px;line-height:18px}
.st-ok{background:var(--ok)}.st-changed{background:var(--changed)}.st-failed{background:var(--failed)}.st-skipped{background:var(--skipped)}.st-unreachable{background:var(--unreachable)}
.c-ok{color:var(--ok)}.c-changed{color:var(--changed)}.c-failed{color:var(--failed)}.c-skipped{color:var(--skipped)}.c-unreachable{color:var(--unreachable)}
.zero{color:#bbb}
.host{cursor:pointer;text-decoration:underline dotted}
details{margin:2px 0}
summary{cursor:pointer;padding:2px 0}
details.play>summary{font-weight:600;font-size:15px;padding:6px 0}
details.task{border-left:3px solid var(--line);padding-left:8px;margin-left:4px}
details.task.w-failed{border-left-color:var(--failed)}details.task.w-changed{border-left-color:var(--changed)}details.task.w-unreachable{border-left-color:var(--unreachable)}
details.task>summary .name{font-weight:500}
.dim{color:var(--mute);font-size:12px}
.msg{white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.failure{border-left:4px solid var(--failed);background:#fff5f5;padding:6px 10px;margin:6px 0}
.failure.ignored{border-left-color:var(--changed);background:#fffaf0}
.change{border-left:4px solid var(--changed);padding:4px 10px;margin:6px 0;background:#fffdf7}
.d-add{color:#1b5e20;background:#e8f5e9;display:block}.d-del{color:#b71c1c;background:#ffebee;display:block}.d-hunk{color:#1565c0;display:block}.d-head{color:var(--mute);display:block}
.tl{display:grid;grid-template-columns:160px 1fr 70px;gap:2px 8px;align-items:center}
.tl .lane{position:relative;height:16px;background:var(--soft);border-radius:2px;overflow:hidden}
.tl .lane i{position:absolute;top:1px;bottom:1px;min-width:1px;border-radius:1px}
.tl .lane i.s-ok{background:var(--ok)}.tl .lane i.s-changed{background:var(--changed)}.tl .lane i.s-failed{background:var(--failed)}.tl .lane i.s-skipped{background:#b0bec5}.tl .lane i.s-unreachable{background:var(--unreachable)}
.tl .axis{position:relative;height:16px;font-size:11px;color:var(--mute)}
.tl .axis span{position:absolute;transform:translateX(-50%)}
.cmp{margin:0;padding-left:18px}.cmp li{margin:2px 0}
.cmpgrid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:4px 24px;margin-bottom:8px}
h3{font-size:14px;margin:6px 0 2px}.cmpgrid .empty{margin:0}
.hidden{display:none!important}
.empty{color:var(--mute);font-style:italic}
`;
