// The browser's time zone, for the server to show times in it (UserTimeZone); set on every page, the sign-in page included.
try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) document.cookie = 'tz=' + encodeURIComponent(zone) + ';path=/;max-age=31536000;samesite=lax';
} catch (e) {
    // No Intl: the server's zone is used.
}

// Saves a file the server produced (exports, error reports) without leaving the page.
window.keyAccounts = {
    download: function (fileName, contentType, base64) {
        const link = document.createElement('a');
        link.href = 'data:' + contentType + ';base64,' + base64;
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
    }
};
