# admin — rules come with its code
