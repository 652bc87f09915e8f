# credit-server — rules come with its code
