// The report's only script, inlined: filters (host, status, task name) and expand/collapse. It
// only shows and hides what the HTML already holds; the page is complete without it.

export const SCRIPT = `(function(){
var host=document.getElementById('f-host'),text=document.getElementById('f-text');
var boxes=Array.prototype.slice.call(document.querySelectorAll('input[data-status]'));
function each(sel,fn){Array.prototype.forEach.call(document.querySelectorAll(sel),fn)}
function apply(){
  var h=host.value,q=text.value.trim().toLowerCase(),on={};
  boxes.forEach(function(b){on[b.getAttribute('data-status')]=b.checked});
  each('[data-h],[data-s],[data-n],[data-hosts]',function(el){
    var eh=el.getAttribute('data-h'),ehs=el.getAttribute('data-hosts'),es=el.getAttribute('data-s'),en=el.getAttribute('data-n');
    var show=(!h||(eh===null&&ehs===null)||eh===h||(ehs!==null&&ehs.indexOf(' '+h+' ')>=0))&&(es===null||on[es])&&(!q||en===null||en.indexOf(q)>=0);
    el.classList.toggle('hidden',!show);
  });
  each('details.task',function(t){if(!t.classList.contains('hidden')&&!t.querySelector('tr[data-h]:not(.hidden)'))t.classList.add('hidden')});
  each('details.play',function(p){p.classList.toggle('hidden',!p.querySelector('details.task:not(.hidden)'))});
  each('[data-group]',function(g){var n=g.querySelectorAll('[data-item]:not(.hidden)').length;var c=g.querySelector('.shown');if(c)c.textContent=n;var e=g.querySelector('.none-shown');if(e)e.classList.toggle('hidden',n>0)});
}
host.addEventListener('change',apply);text.addEventListener('input',apply);
boxes.forEach(function(b){b.addEventListener('change',apply)});
each('[data-host]',function(el){el.addEventListener('click',function(){host.value=el.getAttribute('data-host');apply();})});
document.getElementById('f-reset').addEventListener('click',function(){host.value='';text.value='';boxes.forEach(function(b){b.checked=true});apply()});
document.getElementById('f-open').addEventListener('click',function(){each('details.task:not(.hidden),details.play',function(d){d.open=true})});
document.getElementById('f-close').addEventListener('click',function(){each('details.task',function(d){d.open=false})});
})();`;
