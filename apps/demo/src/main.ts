// The udpkit demo: filled in step by step as the packages land.
console.log('udpkit demo: nothing to show yet');
