// The browser's time zone, for the server to show times in it (UserTimeZone); set on every page, the sign-in page included.
try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) document.cookie = 'tz=' + encodeURIComponent(zone) + ';path=/;max-age=31536000;samesite=lax';
} catch (e) {
    // No Intl: the server's zone is used.
}

// Saves a file the server produced (exports, error reports) without leaving the page.
window.keyAccounts = {
    // Copies a text (a survey link) to the clipboard; a page over plain HTTP has no clipboard API, so a hidden field does it.
    copy: async function (text) {
        if (navigator.clipboard && window.isSecureContext) {
            await navigator.clipboard.writeText(text);
            return;
        }
        const field = document.createElement('textarea');
        field.value = text;
        field.setAttribute('readonly', '');
        field.style.position = 'absolute';
        field.style.left = '-9999px';
        document.body.appendChild(field);
        field.select();
        document.execCommand('copy');
        field.remove();
    },
    download: function (fileName, contentType, base64) {
        const link = document.createElement('a');
        link.href = 'data:' + contentType + ';base64,' + base64;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
    }
};
