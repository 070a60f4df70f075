// Live pages: fetch this page again every few seconds and swap in the [data-live] parts whose
// markup changed. Unchanged parts are left alone, so a playing <audio> or a scrolled <pre> stays.
(() => {
  const seconds = Number(document.body.dataset.refresh);
  if (!seconds) return;
  const tick = async () => {
    try {
      if (!document.hidden) {
        const response = await fetch(location.href, { cache: "no-store" });
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const part of fresh.querySelectorAll("[data-live]")) {
          const old = document.getElementById(part.id);
          if (old && old.innerHTML !== part.innerHTML) old.innerHTML = part.innerHTML;
        }
      }
    } catch (_) {
      // The explorer restarted or the network blinked: the next tick tries again.
    }
    setTimeout(tick, seconds * 1000);
  };
  setTimeout(tick, seconds * 1000);
})();
