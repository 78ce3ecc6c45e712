// Carries the page the user wanted on to the form, and says when the last attempt failed.
const query = new URLSearchParams(location.search);
document.getElementById('returnUrl').value = query.get('returnUrl') || '/';
document.getElementById('failed').hidden = query.get('failed') !== '1';
